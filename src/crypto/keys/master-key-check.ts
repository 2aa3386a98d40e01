import type { Logger } from 'pino';
import { CryptoErrors } from '../crypto.errors';
import { KeyStore, KeyStoreUnavailableError } from './key-store';
import { KeyWrapper } from './key-wrapper';
import { MASTER_KEY_SECRET } from './master-key';

type CheckState = 'pending' | 'ready' | 'master_key_mismatch';

/**
 * Proves that the configured master key is the one the store's keys were wrapped under, before
 * any key is used. A store without a key-check value holds no keys yet, so any master key may
 * use it; the value is written with the first key (`claim`). Processes that never create a key
 * therefore leave nothing in a shared Redis.
 */
export class MasterKeyCheck {
  private state: CheckState = 'pending';
  private checking?: Promise<boolean>;
  /** True once the store's key-check value is known to be ours. */
  private written = false;

  constructor(
    private readonly store: KeyStore,
    private readonly wrapper: KeyWrapper,
    private readonly log: Logger,
  ) {}

  get status(): CheckState {
    return this.state;
  }

  /** Resolves once the master key is known to match; 503 on mismatch or while the store is unreachable. */
  async ready(): Promise<void> {
    for (;;) {
      if (this.state === 'ready') return;
      if (this.state === 'master_key_mismatch') throw CryptoErrors.masterKeyMismatch();
      this.checking ??= this.verify().finally(() => (this.checking = undefined));
      try {
        await this.checking;
      } catch (err) {
        throw unavailable(err, this.log);
      }
    }
  }

  /** Compares the store's key-check value with ours; false (and the state says so) on mismatch. */
  async verify(): Promise<boolean> {
    const stored = await this.store.getCheckValue();
    if (stored === undefined || this.wrapper.matches(stored)) {
      this.written = stored !== undefined;
      this.state = 'ready';
      return true;
    }
    this.markMismatch();
    return false;
  }

  /** Before the first key is written: record our key-check value, or find out that another master key got there first. */
  async claim(): Promise<void> {
    if (this.written) return;
    let stored: string;
    try {
      stored = await this.store.ensureCheckValue(this.wrapper.checkValue());
    } catch (err) {
      throw unavailable(err, this.log);
    }
    if (!this.wrapper.matches(stored)) {
      this.markMismatch();
      throw CryptoErrors.masterKeyMismatch();
    }
    this.written = true;
  }

  private markMismatch(): void {
    if (this.state !== 'master_key_mismatch') {
      this.log.error(`${MASTER_KEY_SECRET} does not match the crypto key store: stored keys cannot be read`);
    }
    this.state = 'master_key_mismatch';
  }
}

/** Store outages become 503; anything else is passed on. */
export function unavailable(err: unknown, log: Logger): unknown {
  if (err instanceof KeyStoreUnavailableError) {
    log.warn({ error: err.causeName }, 'crypto key store unavailable');
    return CryptoErrors.storeUnavailable();
  }
  return err;
}
