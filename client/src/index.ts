import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { components, paths } from './schema';

export type { components, operations, paths } from './schema';

/** The JSON envelope of every non-2xx answer (the `error` of a failed call). */
export type ErrorEnvelope = components['schemas']['ErrorEnvelopeDto'];

/** One problem listed in ErrorEnvelope.details (422 VALIDATION_ERROR). */
export type ErrorDetail = components['schemas']['ErrorDetailDto'];

/** A schema of the service by name, e.g. `Schema<'NernstResponseDto'>`. */
export type Schema<Name extends keyof components['schemas']> = components['schemas'][Name];

export type MfnClient = Client<paths>;

export interface MfnClientOptions {
  /** Where the service listens, e.g. `http://localhost:8000` (no trailing path). */
  baseUrl: string;
  /** Sent as X-API-Key on every request; omit it for a service that does not require keys (dev). */
  apiKey?: string;
  /** Another fetch implementation (defaults to globalThis.fetch). */
  fetch?: ClientOptions['fetch'];
}

/**
 * A client for every route of the service, typed from its OpenAPI document (schema.d.ts).
 * Each call resolves to `{ data, error, response }`: `data` on 2xx, else `error` (an ErrorEnvelope).
 */
export function createMfnClient({ baseUrl, apiKey, fetch }: MfnClientOptions): MfnClient {
  const headers: Record<string, string> = {};
  // eslint-disable-next-line security/detect-possible-timing-attacks -- a presence check against `undefined`, not a comparison of the key with a secret
  if (apiKey !== undefined) headers['X-API-Key'] = apiKey;
  return createClient<paths>({ baseUrl, headers, ...(fetch ? { fetch } : {}) });
}
