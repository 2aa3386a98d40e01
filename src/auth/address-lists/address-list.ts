import { BlockList, isIP } from 'node:net';
import { normalizeIp } from '@nestjs/throttler';

/**
 * Client address lists (MFN_IP_ALLOWLIST, MFN_IP_DENYLIST): parsing and matching. Pure — no Nest,
 * no configuration — so the configuration loader validates with the same rules the service
 * applies when a list arrives later from the secrets backend.
 */

/** Entries per list. node's BlockList tests its rules one by one, so the cost per request grows with the list. */
export const MAX_ADDRESS_LIST_ENTRIES = 1024;
/** The longest IPv6 text form with an embedded IPv4 address and a prefix is 50 characters. */
const MAX_ENTRY_LENGTH = 64;
/** Longest value looked at: the entry cap times the entry length, with separators. */
const MAX_LIST_LENGTH = MAX_ADDRESS_LIST_ENTRIES * (MAX_ENTRY_LENGTH + 2);

/** A list that breaks the rules; the message names the entry by position, never by its text. */
export class AddressListError extends Error {}

type Family = 'ipv4' | 'ipv6';

export interface ComparableAddress {
  readonly address: string;
  readonly family: Family;
}

interface Entry {
  address: string;
  family: Family;
  /** undefined = a single address. */
  prefix?: number;
}

function parseEntry(text: string, position: number): Entry {
  const where = `entry ${position}`;
  if (text.length > MAX_ENTRY_LENGTH) throw new AddressListError(`${where} is longer than ${MAX_ENTRY_LENGTH} characters`);
  const slash = text.indexOf('/');
  const address = slash === -1 ? text : text.slice(0, slash);
  const version = isIP(address);
  // Zone ids (fe80::1%eth0) name an interface of this host; they mean nothing in a shared list.
  if (version === 0 || address.includes('%')) {
    throw new AddressListError(`${where} is not an IPv4 or IPv6 address or CIDR subnet`);
  }
  const family: Family = version === 4 ? 'ipv4' : 'ipv6';
  if (slash === -1) return { address: address.toLowerCase(), family };
  const bits = text.slice(slash + 1);
  const max = version === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(bits) || Number(bits) > max) {
    throw new AddressListError(`${where} has a prefix length that is not a whole number from 0 to ${max}`);
  }
  return { address: address.toLowerCase(), family, prefix: Number(bits) };
}

function formatEntry(entry: Entry): string {
  return entry.prefix === undefined ? entry.address : `${entry.address}/${entry.prefix}`;
}

/**
 * Parses a list value: addresses and CIDR subnets of either family, separated by commas (or
 * whitespace, as a mounted file or a secrets backend may hold them). Returns the entries in a
 * canonical text form (lower case), duplicates dropped; an empty result means "no list". Throws
 * AddressListError for a bad entry, more than MAX_ADDRESS_LIST_ENTRIES entries or an over-long value.
 */
export function parseAddressList(raw: string): string[] {
  if (raw.length > MAX_LIST_LENGTH) throw new AddressListError(`is longer than ${MAX_LIST_LENGTH} characters`);
  const items = raw.split(/[\s,]+/).filter((item) => item.length > 0);
  if (items.length > MAX_ADDRESS_LIST_ENTRIES) {
    throw new AddressListError(`has more than ${MAX_ADDRESS_LIST_ENTRIES} entries`);
  }
  const out = new Set<string>();
  items.forEach((item, i) => out.add(formatEntry(parseEntry(item, i + 1))));
  return [...out];
}

/**
 * The client address in the form the lists compare: zone id dropped, an IPv4-mapped IPv6 address
 * (::ffff:10.0.0.1, ::ffff:a00:1) as its IPv4 address. undefined when it is not an IP address at
 * all (a socket that already closed, a forwarded value that was not an address).
 */
export function comparableAddress(ip: string): ComparableAddress | undefined {
  const bare = withoutPortAndZone(ip.trim());
  if (bare.length === 0 || bare.length > MAX_ENTRY_LENGTH) return undefined;
  const normalised = normalizeIp(bare, 128);
  const address = normalised.endsWith('/128') ? normalised.slice(0, -4) : normalised;
  const version = isIP(address);
  if (version === 0) return undefined;
  return { address, family: version === 4 ? 'ipv4' : 'ipv6' };
}

/**
 * Spellings a forwarded address may come in besides the bare address: `[v6]`, `[v6]:port`,
 * `v4:port`, and a zone id (`fe80::1%eth0`, whatever its length) — all reduced to the address.
 */
function withoutPortAndZone(ip: string): string {
  let text = ip;
  // eslint-disable-next-line security/detect-unsafe-regex -- linear: one run of non-`]` characters and an optional port of at most 5 digits, nothing that can match the same text two ways
  const bracketed = /^\[([^\]]*)\](?::\d{1,5})?$/.exec(text);
  if (bracketed) text = bracketed[1];
  // eslint-disable-next-line security/detect-unsafe-regex -- bounded counts only (at most 3 digits, 4 groups, 5 digits): a few dozen steps whatever the input
  else if (/^\d{1,3}(?:\.\d{1,3}){3}:\d{1,5}$/.test(text)) text = text.slice(0, text.indexOf(':'));
  const zone = text.indexOf('%');
  return zone === -1 ? text : text.slice(0, zone);
}

/**
 * A set of addresses and subnets, matched with node's BlockList. BlockList also matches an IPv4
 * rule against the IPv4-mapped IPv6 form and the other way round; addresses are compared in the
 * form comparableAddress gives them, so either spelling of a client hits the same rules.
 */
export class AddressList {
  private constructor(
    private readonly rules: BlockList,
    /** Canonical entries, for logs (counts) and tests. */
    readonly entries: readonly string[],
  ) {}

  /** Builds the list from entries parseAddressList accepted (it re-validates them). */
  static of(entries: readonly string[]): AddressList {
    const rules = new BlockList();
    entries.forEach((text, i) => {
      const entry = parseEntry(text, i + 1);
      if (entry.prefix === undefined) rules.addAddress(entry.address, entry.family);
      else rules.addSubnet(entry.address, entry.prefix, entry.family);
    });
    return new AddressList(rules, Object.freeze([...entries]));
  }

  get size(): number {
    return this.entries.length;
  }

  /** True when `ip` is one of the addresses or inside one of the subnets. */
  has(ip: string): boolean {
    return this.holds(comparableAddress(ip));
  }

  /** Same for an address already in comparable form (so two lists share one normalisation). */
  holds(client: ComparableAddress | undefined): boolean {
    return client !== undefined && this.rules.check(client.address, client.family);
  }
}

/** Why an address was refused; also the `reason` of the `access_denied` audit event. */
export type AddressRefusal = 'address_denied' | 'address_not_allowed';

/**
 * The deny list and the allow list together. Deny wins: an address on both is refused. With an
 * allow list, an address not on it is refused; with either list, so is a client whose address
 * cannot be read.
 */
export class AddressPolicy {
  constructor(
    readonly allow: AddressList | undefined,
    readonly deny: AddressList | undefined,
  ) {}

  /** True when at least one list is set (otherwise nothing is checked). */
  get active(): boolean {
    return this.allow !== undefined || this.deny !== undefined;
  }

  /**
   * undefined when `ip` may pass, else why it may not. An address that cannot be read at all is
   * refused by either list: a deny list cannot tell it is not on it.
   */
  refusalFor(ip: string): AddressRefusal | undefined {
    const client = comparableAddress(ip);
    if (client === undefined && this.deny !== undefined && this.allow === undefined) return 'address_denied';
    if (this.deny?.holds(client)) return 'address_denied';
    if (this.allow !== undefined && !this.allow.holds(client)) return 'address_not_allowed';
    return undefined;
  }
}
