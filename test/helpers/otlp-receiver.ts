import { StubHttpServer } from './stub-http-server';

/** One span of an OTLP/HTTP JSON export, as the service's exporter writes it. */
export interface ExportedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  traceState?: string;
  name: string;
  kind: number;
  scope: string;
  attributes: Record<string, unknown>;
  resource: Record<string, unknown>;
}

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
}
interface OtlpAttribute {
  key: string;
  value: OtlpValue;
}
interface OtlpExport {
  resourceSpans?: {
    resource?: { attributes?: OtlpAttribute[] };
    scopeSpans?: { scope?: { name?: string }; spans?: (Omit<ExportedSpan, 'scope' | 'attributes' | 'resource'> & { attributes?: OtlpAttribute[] })[] }[];
  }[];
}

function attributes(list: OtlpAttribute[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { key, value } of list ?? []) {
    const v = value.stringValue ?? value.doubleValue ?? value.boolValue ?? (value.intValue === undefined ? undefined : Number(value.intValue));
    Object.defineProperty(out, key, { value: v, enumerable: true });
  }
  return out;
}

/**
 * A local OTLP/HTTP collector: accepts `POST /v1/traces` with JSON bodies (answers 200 `{}`),
 * keeps every raw body (to search for what must never be exported) and the decoded spans.
 */
export class OtlpReceiver {
  readonly bodies: string[] = [];
  readonly spans: ExportedSpan[] = [];
  /** The value of this request header on each export (the collector-token check). */
  readonly tokens: (string | undefined)[] = [];
  /** Every request received, whatever its path (a service with tracing off must send none). */
  requests = 0;
  private readonly http = new StubHttpServer((req, res) => {
    this.requests++;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      if (req.method !== 'POST' || req.url !== '/v1/traces' || !String(req.headers['content-type']).startsWith('application/json')) {
        res.writeHead(404).end();
        return;
      }
      this.bodies.push(body);
      const token = req.headers['x-collector-token'];
      this.tokens.push(Array.isArray(token) ? token[0] : token);
      this.decode(body);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });

  start(): Promise<string> {
    return this.http.start();
  }

  get url(): string {
    return this.http.url;
  }

  close(): Promise<void> {
    return this.http.close();
  }

  /** The spans of one trace. */
  trace(traceId: string): ExportedSpan[] {
    return this.spans.filter((s) => s.traceId === traceId);
  }

  /** Every raw export body, joined (for "never exported" checks). */
  text(): string {
    return this.bodies.join('\n');
  }

  private decode(body: string): void {
    const parsed = JSON.parse(body) as OtlpExport;
    for (const rs of parsed.resourceSpans ?? []) {
      const resource = attributes(rs.resource?.attributes);
      for (const ss of rs.scopeSpans ?? []) {
        for (const span of ss.spans ?? []) {
          this.spans.push({ ...span, scope: ss.scope?.name ?? '', attributes: attributes(span.attributes), resource });
        }
      }
    }
  }
}
