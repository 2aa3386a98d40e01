import {
  AddressList,
  AddressListError,
  AddressPolicy,
  comparableAddress,
  MAX_ADDRESS_LIST_ENTRIES,
  parseAddressList,
} from './address-list';

const list = (raw: string) => AddressList.of(parseAddressList(raw));

function parseError(raw: string): string {
  try {
    parseAddressList(raw);
  } catch (err) {
    if (err instanceof AddressListError) return err.message;
    throw err;
  }
  throw new Error('expected the list to be refused');
}

describe('parseAddressList', () => {
  it('accepts addresses and CIDR subnets of both families, in canonical form, duplicates dropped', () => {
    expect(parseAddressList('10.0.0.1, 10.0.0.0/8,192.0.2.0/24')).toEqual(['10.0.0.1', '10.0.0.0/8', '192.0.2.0/24']);
    expect(parseAddressList('2001:DB8::1,2001:db8::/32,::/0,0.0.0.0/0')).toEqual(['2001:db8::1', '2001:db8::/32', '::/0', '0.0.0.0/0']);
    expect(parseAddressList('::ffff:10.0.0.1,::ffff:10.0.0.0/104')).toEqual(['::ffff:10.0.0.1', '::ffff:10.0.0.0/104']);
    expect(parseAddressList('10.0.0.1,10.0.0.1, 10.0.0.1')).toEqual(['10.0.0.1']);
  });

  it('takes commas, spaces and newlines as separators and ignores empty items', () => {
    expect(parseAddressList('10.0.0.1\n10.0.0.2 10.0.0.3,,\r\n,')).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3']);
    expect(parseAddressList(' , ')).toEqual([]);
  });

  it.each([
    ['not-an-address', 'entry 1 is not an IPv4 or IPv6 address'],
    ['10.0.0.1,10.0.0.256', 'entry 2 is not'],
    ['10.0.0', 'entry 1 is not'],
    ['10.0.0.0/33', 'entry 1 has a prefix length that is not a whole number from 0 to 32'],
    ['2001:db8::/129', 'from 0 to 128'],
    ['10.0.0.0/', 'prefix length'],
    ['10.0.0.0/-1', 'prefix length'],
    ['10.0.0.0/8/8', 'prefix length'],
    ['10.0.0.0/0x8', 'prefix length'],
    ['fe80::1%eth0', 'entry 1 is not'],
    ['2001:db8:::1', 'entry 1 is not'],
    [`10.0.0.1,${'1'.repeat(65)}`, 'entry 2 is longer than 64 characters'],
    ['localhost', 'entry 1 is not'],
  ])('refuses %j, naming the entry by its position', (raw, message) => {
    expect(parseError(raw)).toContain(message);
  });

  it('never puts the entry text in its message', () => {
    expect(parseError('10.0.0.1,secret-looking-garbage')).not.toContain('secret-looking-garbage');
  });

  it(`refuses more than ${MAX_ADDRESS_LIST_ENTRIES} entries and over-long values`, () => {
    const many = Array.from({ length: MAX_ADDRESS_LIST_ENTRIES + 1 }, (_, i) => `10.${i >> 8}.${i & 255}.1`).join(',');
    expect(parseError(many)).toContain(`more than ${MAX_ADDRESS_LIST_ENTRIES} entries`);
    expect(parseAddressList(many.split(',').slice(0, MAX_ADDRESS_LIST_ENTRIES).join(','))).toHaveLength(MAX_ADDRESS_LIST_ENTRIES);
    expect(parseError(','.repeat(200_000))).toContain('is longer than');
  });
});

describe('comparableAddress', () => {
  it.each([
    ['10.0.0.1', '10.0.0.1', 'ipv4'],
    ['::ffff:10.0.0.1', '10.0.0.1', 'ipv4'],
    ['::ffff:a00:1', '10.0.0.1', 'ipv4'],
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1', 'ipv6'],
    ['fe80::1%eth0', 'fe80::1', 'ipv6'],
    ['::1', '::1', 'ipv6'],
  ])('%s compares as %s', (ip, address, family) => {
    expect(comparableAddress(ip)).toEqual({ address, family });
  });

  it.each(['', 'garbage', '10.0.0.256', '{x}', 'a'.repeat(100)])('%j is not an address', (ip) => {
    expect(comparableAddress(ip)).toBeUndefined();
  });
});

describe('AddressList', () => {
  it('matches IPv4 addresses and subnets', () => {
    const l = list('192.0.2.7,10.0.0.0/8,172.16.0.0/12');
    expect(l.has('192.0.2.7')).toBe(true);
    expect(l.has('192.0.2.8')).toBe(false);
    expect(l.has('10.255.255.255')).toBe(true);
    expect(l.has('11.0.0.0')).toBe(false);
    expect(l.has('172.31.0.1')).toBe(true);
    expect(l.has('172.32.0.1')).toBe(false);
  });

  it('matches IPv6 addresses and subnets whatever the spelling', () => {
    const l = list('2001:db8::1,2001:db8:aaaa::/48');
    expect(l.has('2001:db8::1')).toBe(true);
    expect(l.has('2001:DB8:0000:0000:0000:0000:0000:0001')).toBe(true);
    expect(l.has('2001:db8::2')).toBe(false);
    expect(l.has('2001:db8:aaaa:ffff::5')).toBe(true);
    expect(l.has('2001:db8:aaab::5')).toBe(false);
  });

  it('matches IPv4-mapped IPv6 clients against IPv4 rules, and mapped rules against IPv4 clients', () => {
    const v4 = list('10.0.0.0/8');
    expect(v4.has('::ffff:10.1.2.3')).toBe(true);
    expect(v4.has('::ffff:a01:203')).toBe(true);
    expect(v4.has('::ffff:11.1.2.3')).toBe(false);
    const mapped = list('::ffff:10.0.0.0/104,::ffff:192.0.2.7');
    expect(mapped.has('10.1.2.3')).toBe(true);
    expect(mapped.has('192.0.2.7')).toBe(true);
    expect(mapped.has('192.0.2.8')).toBe(false);
  });

  it('keeps the families apart otherwise', () => {
    expect(list('0.0.0.0/0').has('2001:db8::1')).toBe(false);
    expect(list('::/0').has('2001:db8::1')).toBe(true);
    expect(list('2001:db8::/32').has('10.0.0.1')).toBe(false);
  });

  it('matches nothing for a client address that is not an address', () => {
    const everything = list('0.0.0.0/0,::/0');
    expect(everything.has('garbage')).toBe(false);
    expect(everything.has('')).toBe(false);
    expect(everything.has('10.0.0.1')).toBe(true);
  });
});

describe('AddressPolicy', () => {
  it('is inactive without lists and lets everyone in', () => {
    const p = new AddressPolicy(undefined, undefined);
    expect(p.active).toBe(false);
    expect(p.refusalFor('203.0.113.9')).toBeUndefined();
  });

  it('refuses addresses on the deny list, and the deny list wins over the allow list', () => {
    const p = new AddressPolicy(list('10.0.0.0/8'), list('10.6.6.0/24,2001:db8:bad::/48'));
    expect(p.refusalFor('10.1.1.1')).toBeUndefined();
    expect(p.refusalFor('10.6.6.6')).toBe('address_denied');
    expect(p.refusalFor('::ffff:10.6.6.6')).toBe('address_denied');
    expect(p.refusalFor('2001:db8:bad::1')).toBe('address_denied');
    expect(p.refusalFor('203.0.113.9')).toBe('address_not_allowed');
  });

  it('with an allow list refuses every other address, unreadable ones included', () => {
    const p = new AddressPolicy(list('192.0.2.0/24,2001:db8::/32'), undefined);
    expect(p.refusalFor('192.0.2.1')).toBeUndefined();
    expect(p.refusalFor('2001:db8:1::1')).toBeUndefined();
    expect(p.refusalFor('198.51.100.1')).toBe('address_not_allowed');
    expect(p.refusalFor('2001:db9::1')).toBe('address_not_allowed');
    expect(p.refusalFor('garbage')).toBe('address_not_allowed');
  });

  it('with only a deny list lets every other readable address in; one it cannot read is refused', () => {
    const p = new AddressPolicy(undefined, list('192.0.2.0/24'));
    expect(p.refusalFor('198.51.100.1')).toBeUndefined();
    expect(p.refusalFor('garbage')).toBe('address_denied');
    expect(p.refusalFor('192.0.2.200')).toBe('address_denied');
  });
});

describe('forwarded spellings of a denied address', () => {
  const policy = new AddressPolicy(undefined, AddressList.of(parseAddressList('10.1.2.3, 2001:db8:dead::/48')));

  it.each(['10.1.2.3:8080', '[::ffff:10.1.2.3]', '[::ffff:10.1.2.3]:443', `2001:db8:dead::1%${'z'.repeat(60)}`, '[2001:db8:dead::1]:8443', ' 10.1.2.3 '])(
    '%s is denied like the bare address',
    (spelling) => {
      expect(policy.refusalFor(spelling)).toBe('address_denied');
    },
  );

  it('refuses an address that cannot be read when only a deny list is set', () => {
    expect(policy.refusalFor('not-an-address')).toBe('address_denied');
    expect(policy.refusalFor('')).toBe('address_denied');
    expect(policy.refusalFor('10.1.2.4')).toBeUndefined();
  });
});
