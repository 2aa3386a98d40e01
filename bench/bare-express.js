'use strict';
// Baseline for the benchmarks: a bare Express app doing the same visible work as the service
// (JSON in, JSON out) with no security layer, logging or validation.
const express = require('express');

const R = 8.314;
const F = 96485.33212;
const app = express();
app.disable('x-powered-by');
app.use(express.json());
app.get('/health', (_req, res) => res.json({ status: 'healthy', version: '4.1.0' }));
app.post('/nernst', (req, res) => {
  const b = req.body || {};
  const z = b.z_valence ?? 1;
  const t = b.temperature_k ?? 310;
  const e = ((R * t) / (z * F)) * Math.log(Math.max(b.concentration_out_molar, 1e-6) / Math.max(b.concentration_in_molar, 1e-6));
  res.json({ potential_mV: e * 1000 });
});
const server = app.listen(Number(process.env.PORT || 0), '127.0.0.1', () => {
  process.stdout.write(`listening ${server.address().port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
