import type { DestinationStream } from 'pino';

/** Fields the line's head already shows (or that every line of the process carries: `env`). */
const HEAD_FIELDS: ReadonlySet<string> = new Set(['timestamp', 'level', 'logger', 'message', 'request_id', 'env']);
/** The access record's fields lead, in this order; every other field follows in the record's own order. */
const LEADING_FIELDS = ['method', 'endpoint', 'status', 'duration_ms', 'client_ip', 'error'] as const;
/** A string value is written bare unless it could be misread: empty, or holding spaces, quotes, `=` or controls. */
const NEEDS_QUOTES = /^$|[\s"=\\\p{Cc}]/u;

/** `key=value` for one field: strings bare when unambiguous, everything else as JSON. */
function renderField(key: string, value: unknown): string {
  if (typeof value === 'string') return `${key}=${NEEDS_QUOTES.test(value) ? JSON.stringify(value) : value}`;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return `${key}=${String(value)}`;
  return `${key}=${JSON.stringify(value)}`;
}

/**
 * Turns pino's JSON records into `YYYY-MM-DD HH:MM:SS LEVEL [reqid8] logger: message key=value…`
 * lines for humans in dev. Every field of the record is on the line (the head shows timestamp,
 * level, request id, logger and message; the rest follow as key=value), so the text format never
 * hides what the JSON format would show. Audit events stay JSON lines: they are always structured.
 */
export class TextFormatStream implements DestinationStream {
  constructor(private readonly out: { write(chunk: string): unknown }) {}

  write(line: string): void {
    let rec: Record<string, unknown>;
    try {
      rec = JSON.parse(line) as Record<string, unknown>;
    } catch {
      this.out.write(line);
      return;
    }
    if (rec.audit_event === true) {
      this.out.write(line.endsWith('\n') ? line : `${line}\n`);
      return;
    }
    const ts = typeof rec.timestamp === 'string' ? rec.timestamp.replace('T', ' ').slice(0, 19) : '';
    const rid = typeof rec.request_id === 'string' ? ` [${rec.request_id.slice(0, 8)}]` : '';
    const name = typeof rec.logger === 'string' ? rec.logger : 'mfn';
    const keys = [
      ...LEADING_FIELDS.filter((k) => k in rec),
      ...Object.keys(rec).filter((k) => !HEAD_FIELDS.has(k) && !(LEADING_FIELDS as readonly string[]).includes(k)),
    ];
    const extras = keys
      .map((k) => [k, Object.getOwnPropertyDescriptor(rec, k)?.value] as const)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => renderField(k, v))
      .join(' ');
    this.out.write(`${ts} ${String(rec.level)}${rid} ${name}: ${String(rec.message ?? '')}${extras ? ` ${extras}` : ''}\n`);
  }
}
