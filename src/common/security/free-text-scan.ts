import { detectInjection, InjectionKind } from './input-sanitiser';

/**
 * Characters of one field that are scanned; the rest of a longer value is not looked at. Every
 * free-text field of the API is at most 64 characters (`^[A-Za-z0-9._:-]{1,64}$`), so a longer
 * value is refused by validation anyway; the cap only bounds what the scan costs.
 */
export const MAX_SCAN_CHARS = 1024;
/** Fields scanned per request at most (path parameters and query parameters count). */
export const MAX_SCAN_FIELDS = 64;
/** Field paths named in the audit event at most. */
export const MAX_REPORTED_FIELDS = 10;
/** A field path in the event is cut to this length: query parameter names are the client's. */
export const MAX_FIELD_PATH_CHARS = 100;

/** The request parts the scan reads; `query` is undefined when the URL has no query string. */
export interface FreeTextSources {
  params: unknown;
  query: unknown;
  body: unknown;
}

/** All hits of one request, aggregated for one audit event. */
export interface FreeTextHits {
  /** Distinct kinds, in the order first seen. */
  kinds: InjectionKind[];
  /** Paths of the first `MAX_REPORTED_FIELDS` fields with a hit. */
  fields: string[];
  /** Fields with a hit. */
  count: number;
}

/**
 * Scans the free-text fields of a request for injection patterns: the path parameters (named
 * `path.…`, as validation names them), the query parameters and the top-level body field
 * `key_id` — string values only (nested values, repeated query parameters and every other body
 * field are skipped: the bodies hold numbers and base64 payloads, which their strict validation
 * checks), each cut to `MAX_SCAN_CHARS`, at most `MAX_SCAN_FIELDS`.
 * So one request costs at most `MAX_SCAN_FIELDS × MAX_SCAN_CHARS` characters of linear scanning,
 * whatever its size. Returns undefined when nothing matched.
 */
export function scanFreeText(sources: FreeTextSources): FreeTextHits | undefined {
  const scan = new Scan();
  scan.record(sources.params, 'path');
  scan.record(sources.query, 'query');
  const body = sources.body;
  if (body !== null && typeof body === 'object' && !Array.isArray(body) && Object.hasOwn(body, 'key_id')) {
    scan.field('body.key_id', (body as Record<string, unknown>).key_id);
  }
  return scan.hits;
}

class Scan {
  hits: FreeTextHits | undefined;
  private scanned = 0;

  /** Each own string property of `values` (path or query parameters). */
  record(values: unknown, prefix: string): void {
    if (values === null || typeof values !== 'object') return;
    for (const [key, value] of Object.entries(values)) {
      if (this.scanned >= MAX_SCAN_FIELDS) return;
      this.field(`${prefix}.${key}`, value);
    }
  }

  field(path: string, value: unknown): void {
    if (typeof value !== 'string' || this.scanned >= MAX_SCAN_FIELDS) return;
    this.scanned++;
    const kind = detectInjection(value.length > MAX_SCAN_CHARS ? value.slice(0, MAX_SCAN_CHARS) : value);
    if (kind === undefined) return;
    const hits = (this.hits ??= { kinds: [], fields: [], count: 0 });
    hits.count++;
    if (!hits.kinds.includes(kind)) hits.kinds.push(kind);
    if (hits.fields.length < MAX_REPORTED_FIELDS) hits.fields.push(path.length > MAX_FIELD_PATH_CHARS ? path.slice(0, MAX_FIELD_PATH_CHARS) : path);
  }
}
