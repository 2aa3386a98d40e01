import type { DestinationStream } from 'pino';

const EXTRA_FIELDS = ['method', 'endpoint', 'status', 'duration_ms', 'client_ip', 'error'] as const;

/**
 * Turns pino's JSON records into `YYYY-MM-DD HH:MM:SS LEVEL [reqid8] logger: message` lines for
 * humans in dev. Audit events stay JSON lines: they are always structured.
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
    // eslint-disable-next-line security/detect-object-injection -- `k` is one of the fixed EXTRA_FIELDS names
    const extras = EXTRA_FIELDS.map((k) => [k, rec[k]] as const)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
      .join(' ');
    this.out.write(`${ts} ${String(rec.level)}${rid} ${name}: ${String(rec.message ?? '')}${extras ? ` ${extras}` : ''}\n`);
  }
}
