"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.TextFormatStream = void 0;
const EXTRA_FIELDS = ['method', 'endpoint', 'status', 'duration_ms', 'client_ip', 'error'];
/**
 * Turns pino's JSON records into `YYYY-MM-DD HH:MM:SS LEVEL [reqid8] logger: message` lines for
 * humans in dev. Audit events stay JSON lines: they are always structured.
 */
class TextFormatStream {
    out;
    constructor(out) {
        this.out = out;
    }
    write(line) {
        let rec;
        try {
            rec = JSON.parse(line);
        }
        catch {
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
        const extras = EXTRA_FIELDS.filter((k) => rec[k] !== undefined)
            .map((k) => `${k}=${typeof rec[k] === 'object' ? JSON.stringify(rec[k]) : String(rec[k])}`)
            .join(' ');
        this.out.write(`${ts} ${String(rec.level)}${rid} ${name}: ${String(rec.message ?? '')}${extras ? ` ${extras}` : ''}\n`);
    }
}
exports.TextFormatStream = TextFormatStream;
//# sourceMappingURL=text-format.stream.js.map