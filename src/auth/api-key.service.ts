import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { hash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../common';
import { requestState } from '../common/http/request-context';
import { AppConfig } from '../config';
import { SecretsService } from '../secrets/secrets.service';
import { ApiKeyConfigError, describeEntry, isPresentableKey } from './api-key-entries';
import { readApiKeyEntries } from './api-key-source';
import { Clock, expiryState } from './key-expiry';
import { Principal, SINGLE_TENANT } from './principal';
import { IMPLICIT_ROLES } from './roles';

export const API_KEY_HEADER = 'x-api-key';

/** Injection token of the clock the key ring checks expiry dates against (AuthModule provides Date.now). */
export const API_KEY_CLOCK = Symbol('mfn.auth.clock');

/**
 * Outcome of checking a request's X-API-Key header. `expired` is a configured key past its
 * `expires` time: answered exactly like `invalid`, told apart only in the audit trail and metrics.
 */
export type ApiKeyCheck =
  | { readonly status: 'missing' }
  | { readonly status: 'invalid' }
  | { readonly status: 'expired' }
  | { readonly status: 'valid'; readonly principal: Principal };

const MISSING: ApiKeyCheck = Object.freeze({ status: 'missing' });
const INVALID: ApiKeyCheck = Object.freeze({ status: 'invalid' });
const EXPIRED: ApiKeyCheck = Object.freeze({ status: 'expired' });
/** expiresAt of a key without `expires`: no clock read is needed for it. */
const NEVER = Number.POSITIVE_INFINITY;

/** The caller when authentication is off: every role, no key. */
export const ANONYMOUS_PRINCIPAL: Principal = Object.freeze({
  id: 'anonymous',
  roles: IMPLICIT_ROLES,
  tenant: SINGLE_TENANT,
  authenticated: false,
});

interface StoredKey {
  digest: Buffer;
  check: ApiKeyCheck;
  /** First instant (epoch ms) at which the key is refused; NEVER without `expires`. */
  expiresAt: number;
}

/** A key with `expires`, as the expiry warnings name it: where it came from, never the key. */
interface ExpiryNote {
  label: string;
  source: string;
  id?: string;
  expiresAt: number;
}

interface LoadedKeys {
  keys: StoredKey[];
  expiring: ExpiryNote[];
}


function sha256(value: string): Buffer {
  // One-shot digest: no Hash object per request.
  return hash('sha256', Buffer.from(value, 'utf8'), 'buffer');
}

/**
 * The key ring: configured API keys (from the SecretsService) held only as SHA-256 digests with
 * their principal (id and roles). Rebuilt when the secrets change, so keys rotate without a
 * restart; a rebuilt set that breaks the start-up rules is refused and the previous one kept.
 *
 * A presented key is hashed once and compared with every stored digest by `timingSafeEqual`, with
 * no early exit: the time taken does not depend on which key matched, or on the key's length.
 * The result is cached on the request, so the rate limiter (which needs the caller's identity
 * before authentication runs) and the API-key guard share one hash. A key's `expires` time is
 * checked against the clock on every request, so a key stops working at that instant without a
 * reload; start-up and every reload warn about keys expired or expiring within 14 days.
 */
@Injectable()
export class ApiKeyService implements OnModuleInit, OnModuleDestroy {
  private keys: StoredKey[] = [];
  private unsubscribe?: () => void;
  private readonly log: Logger;

  constructor(
    private readonly config: AppConfig,
    private readonly secrets: SecretsService,
    @Inject(ROOT_LOGGER) logger: Logger,
    @Inject(API_KEY_CLOCK) private readonly now: Clock,
  ) {
    this.log = logger.child({ logger: 'mfn.auth' });
  }

  onModuleInit(): void {
    const loaded = this.load();
    this.keys = loaded.keys;
    this.log.info({ keys: this.keys.length, required: this.config.auth.required }, 'API keys loaded');
    this.warnAboutExpiry(loaded.expiring);
    this.unsubscribe = this.secrets.onChange(() => this.reload());
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  /** Number of usable keys. */
  get size(): number {
    return this.keys.length;
  }

  /** Re-reads the keys after a secrets refresh; a broken new set leaves the current one in force. */
  reload(): void {
    try {
      const next = this.load();
      this.keys = next.keys;
      this.log.info({ keys: next.keys.length }, 'API keys reloaded');
      this.warnAboutExpiry(next.expiring);
    } catch (err) {
      const reason = err instanceof ApiKeyConfigError ? err.message : 'the key secrets could not be read';
      this.log.error({ reason }, 'API key reload refused; the previous keys stay in force');
    }
  }

  /** Checks the request's X-API-Key once; later calls for the same request return the same result. */
  checkRequest(req: IncomingMessage): ApiKeyCheck {
    const state = requestState(req);
    let result = state.apiKeyCheck as ApiKeyCheck | undefined;
    if (result === undefined) {
      // eslint-disable-next-line security/detect-object-injection -- API_KEY_HEADER is the constant header name `x-api-key`
      result = this.check(req.headers[API_KEY_HEADER]);
      state.apiKeyCheck = result;
    }
    return result;
  }

  check(presented: string | string[] | undefined): ApiKeyCheck {
    if (presented === undefined || presented === '') return MISSING;
    if (typeof presented !== 'string' || !isPresentableKey(presented)) return INVALID;
    const digest = sha256(presented);
    let match: StoredKey | undefined;
    for (const stored of this.keys) {
      // Every digest is compared; the branch only records the first hit.
      if (timingSafeEqual(digest, stored.digest) && match === undefined) match = stored;
    }
    if (match === undefined) return INVALID;
    if (match.expiresAt !== NEVER && this.now() >= match.expiresAt) return EXPIRED;
    return match.check;
  }

  /** One WARNING per key already expired or expiring within 14 days; names the entry, never the key. */
  private warnAboutExpiry(notes: ExpiryNote[]): void {
    const now = this.now();
    for (const note of notes) {
      const state = expiryState(note.expiresAt, now);
      if (state === 'ok') continue;
      const fields: Record<string, unknown> = { entry: note.source, expires: new Date(note.expiresAt).toISOString() };
      if (note.id !== undefined) fields.id = note.id;
      if (state === 'expired') {
        this.log.warn(fields, `API key ${note.label} has expired and is refused`);
      } else {
        fields.expires_in_hours = Math.floor((note.expiresAt - now) / 3_600_000);
        this.log.warn(fields, `API key ${note.label} expires within 14 days`);
      }
    }
  }

  private load(): LoadedKeys {
    const unique = readApiKeyEntries(this.secrets, this.config);
    const keys = unique.map((e) => ({
      digest: sha256(e.key),
      check: Object.freeze({ status: 'valid' as const, principal: Object.freeze({ id: e.id, roles: e.roles, tenant: e.tenant, authenticated: true }) }),
      expiresAt: e.expiresAt ?? NEVER,
    }));
    const expiring: ExpiryNote[] = [];
    for (const e of unique) {
      if (e.expiresAt === undefined) continue;
      expiring.push({ label: describeEntry(e), source: e.source, id: e.named ? e.id : undefined, expiresAt: e.expiresAt });
    }
    return { keys, expiring };
  }
}
