'use strict';
/**
 * A local OTLP/HTTP sink for the tracing section of `npm run bench`: accepts POST /v1/traces
 * (JSON), counts the exports and the spans in them, answers GET /health and GET /stats.
 * Runs as its own process so its parsing does not share a thread with the load generator.
 */
const http = require('node:http');

let exports_ = 0;
let spans = 0;
let bytes = 0;

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/health') return res.writeHead(200).end('ok');
  if (req.method === 'GET' && req.url === '/stats') {
    return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ exports: exports_, spans, bytes }));
  }
  if (req.method !== 'POST' || req.url !== '/v1/traces') return res.writeHead(404).end();
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    exports_++;
    bytes += body.length;
    try {
      for (const rs of JSON.parse(body.toString('utf8')).resourceSpans ?? []) {
        for (const ss of rs.scopeSpans ?? []) spans += (ss.spans ?? []).length;
      }
    } catch {
      // not JSON: counted as an export only
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
});
server.listen(Number(process.env.PORT || 0), process.env.HOST || '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
