'use strict';
/**
 * Tracing section of `npm run bench` (alone: BENCH_ONLY=tracing): guarded POST /nernst on two
 * more copies of the service, loaded in the same interleaved rounds as the plain one:
 * - tracing off: an OTLP endpoint is set but OTEL_SDK_DISABLED=true (the variables are read, the
 *   SDK is never loaded): the ratio to the plain service shows that tracing off costs nothing;
 * - tracing on: every request sampled (parentbased_always_on) and exported to a local OTLP/HTTP
 *   sink (otlp-sink.js, its own process), one export a second.
 * run.js prints both as ratios of the plain service's median.
 */
const path = require('node:path');
const { startProcess } = require('./lib');

/**
 * @param {{ main: string, env: (extra?: Record<string, string>) => Record<string, string> }} ctx
 * @returns {Promise<{ off: object, on: object, stop: () => Promise<{ exports: number, spans: number, bytes: number }> }>}
 *          `stop` ends both services (the traced one flushes its last spans on SIGTERM), then
 *          the sink, and resolves with what the sink received.
 */
async function startTracingServices({ main, env }) {
  const sink = await startProcess('OTLP sink', path.join(__dirname, 'otlp-sink.js'));
  const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: sink.baseUrl, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' };
  const off = await startProcess('service (prod, guarded, tracing off)', main, env({ ...endpoint, OTEL_SDK_DISABLED: 'true' }));
  const on = await startProcess('service (prod, guarded, tracing on)', main, env({ ...endpoint, OTEL_BSP_SCHEDULE_DELAY: '1000' }));
  return {
    off,
    on,
    async stop() {
      await Promise.all([off.stop(), on.stop()]);
      try {
        const res = await fetch(`${sink.baseUrl}/stats`);
        return await res.json();
      } finally {
        await sink.stop();
      }
    },
  };
}

module.exports = { startTracingServices };
