import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { hash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../common';
import { requestState } from '../common/http/request-context';
import { AppConfig } from '../config';
import { SecretsService } from '../secrets/secrets.service';
import {
  ApiKeyConfigError,
  ApiKeyEntry,
  checkKeyPolicy,
  dedupeEntries,
  isPresentableKey,
  parseKeyringObject,
  parseListEntry,
  parseSingleKey,
} from './api-key-entries';
import type { Principal } from './principal';
import { ALL_ROLES } from './roles';

export const API_KEY_HEADER = 'x-api-key';

/** Outcome of checking a request's X-API-Key header. */
export type ApiKeyCheck =
  | { readonly status: 'missing' }
  | { readonly status: 'invalid' }
  | { readonly status: 'valid'; readonly principal: Principal };

const MISSING: ApiKeyCheck = Object.freeze({ status: 'missing' });
const INVALID: ApiKeyCheck = Object.freeze({ status: 'invalid' });

/** The caller when authentication is off: every role, no key. */
export const ANONYMOUS_PRINCIPAL: Principal = Object.freeze({ id: 'anonymous', roles: ALL_ROLES, authenticated: false });

interface StoredKey {
  digest: Buffer;
  check: ApiKeyCheck;
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
 * before authentication runs) and the API-key guard share one hash.
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
  ) {
    this.log = logger.child({ logger: 'mfn.auth' });
  }

  onModuleInit(): void {
    this.keys = this.load();
    this.log.info({ keys: this.keys.length, required: this.config.auth.required }, 'API keys loaded');
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
      this.keys = next;
      this.log.info({ keys: next.length }, 'API keys reloaded');
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
      result = this.check(req.headers[API_KEY_HEADER]);
      state.apiKeyCheck = result;
    }
    return result;
  }

  check(presented: string | string[] | undefined): ApiKeyCheck {
    if (presented === undefined || presented === '') return MISSING;
    if (typeof presented !== 'string' || !isPresentableKey(presented)) return INVALID;
    const digest = sha256(presented);
    let match: ApiKeyCheck = INVALID;
    for (const stored of this.keys) {
      // Every digest is compared; the branch only records the first hit.
      if (timingSafeEqual(digest, stored.digest) && match === INVALID) match = stored.check;
    }
    return match;
  }

  private load(): StoredKey[] {
    const entries: ApiKeyEntry[] = [];
    const single = this.secrets.getSecret('MFN_API_KEY');
    if (single !== undefined && single.trim() !== '') entries.push(parseSingleKey(single));
    entries.push(...this.loadList());
    const unique = dedupeEntries(entries);
    checkKeyPolicy(unique, { required: this.config.auth.required, prod: this.config.env === 'prod', env: this.config.env });
    return unique.map((e) => ({
      digest: sha256(e.key),
      check: Object.freeze({ status: 'valid' as const, principal: Object.freeze({ id: e.id, roles: e.roles, authenticated: true }) }),
    }));
  }

  private loadList(): ApiKeyEntry[] {
    const raw = this.secrets.getSecret('MFN_API_KEYS');
    if (raw === undefined || raw.trim() === '') return [];
    if (raw.trim().startsWith('{')) return parseKeyringObject(raw.trim());
    let items: string[];
    try {
      items = this.secrets.getList('MFN_API_KEYS');
    } catch {
      // Parser messages can quote the input; never let a key fragment reach the log.
      throw new ApiKeyConfigError('MFN_API_KEYS could not be parsed as a key list (CSV, newline or JSON array)');
    }
    return items.map((item, i) => parseListEntry(item, `MFN_API_KEYS entry ${i + 1}`));
  }
}
