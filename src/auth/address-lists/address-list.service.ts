import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../../common';
import { AppConfig } from '../../config';
import { SecretsService } from '../../secrets/secrets.service';
import { AddressList, AddressListError, AddressPolicy, parseAddressList } from './address-list';

export const ALLOWLIST_VARIABLE = 'MFN_IP_ALLOWLIST';
export const DENYLIST_VARIABLE = 'MFN_IP_DENYLIST';

export type ListName = typeof ALLOWLIST_VARIABLE | typeof DENYLIST_VARIABLE;

/**
 * The address lists in force. Each list comes from the secrets backend when it holds a value
 * under the variable's name (a remote backend, or the MFN_SECRETS_FILE mapping), else from the
 * environment variable (validated by the configuration loader). They are re-read whenever the
 * secrets change: a list that does not parse then is refused with an ERROR naming the variable
 * and the entry's position, and that list stays as it was; at start-up it stops the service.
 */
@Injectable()
export class AddressListService implements OnModuleInit, OnModuleDestroy {
  private current = new AddressPolicy(undefined, undefined);
  private unsubscribe?: () => void;
  private readonly log: Logger;

  constructor(
    private readonly config: AppConfig,
    private readonly secrets: SecretsService,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ logger: 'mfn.auth.address' });
  }

  onModuleInit(): void {
    this.current = new AddressPolicy(this.load(ALLOWLIST_VARIABLE), this.load(DENYLIST_VARIABLE));
    if (this.current.active) this.log.info(this.counts(), 'address lists in force');
    this.unsubscribe = this.secrets.onChange(() => this.reload());
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  get policy(): AddressPolicy {
    return this.current;
  }

  /** Re-reads both lists; a list that does not parse keeps its previous value. */
  reload(): void {
    const allow = this.reloadOne(ALLOWLIST_VARIABLE, this.current.allow);
    const deny = this.reloadOne(DENYLIST_VARIABLE, this.current.deny);
    if (allow === this.current.allow && deny === this.current.deny) return;
    this.current = new AddressPolicy(allow, deny);
    this.log.info(this.counts(), 'address lists reloaded');
  }

  private reloadOne(name: ListName, previous: AddressList | undefined): AddressList | undefined {
    try {
      const next = this.load(name);
      return sameEntries(next, previous) ? previous : next;
    } catch (err) {
      if (!(err instanceof AddressListError)) throw err;
      this.log.error({ variable: name, reason: err.message }, 'address list reload refused; the previous list stays in force');
      return previous;
    }
  }

  private load(name: ListName): AddressList | undefined {
    return readAddressList(name, this.secrets, this.config);
  }

  private counts(): Record<string, number> {
    return { allow_entries: this.current.allow?.size ?? 0, deny_entries: this.current.deny?.size ?? 0 };
  }
}

/**
 * The list of `name`, undefined when unset or empty; throws AddressListError when it does not
 * parse. From the secrets backend when it holds a value under that name, else the variable as
 * the configuration read it. Used by the service and by the start-up checks (src/startup-checks.ts).
 */
export function readAddressList(
  name: ListName,
  secrets: Pick<SecretsService, 'getSecret' | 'backendName'>,
  config: AppConfig,
): AddressList | undefined {
  const fromSecrets = secrets.getSecret(name);
  let entries: readonly string[];
  if (fromSecrets !== undefined && fromSecrets.trim() !== '') {
    try {
      entries = parseAddressList(fromSecrets);
    } catch (err) {
      if (!(err instanceof AddressListError)) throw err;
      throw new AddressListError(`${name} from the ${secrets.backendName} secrets backend is not a valid address list: ${err.message}`);
    }
  } else {
    entries = name === ALLOWLIST_VARIABLE ? config.addressLists.allow : config.addressLists.deny;
  }
  return entries.length > 0 ? AddressList.of(entries) : undefined;
}

function sameEntries(a: AddressList | undefined, b: AddressList | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  // eslint-disable-next-line security/detect-object-injection -- integer index into an array of the same length
  return a.entries.length === b.entries.length && a.entries.every((entry, i) => entry === b.entries[i]);
}
