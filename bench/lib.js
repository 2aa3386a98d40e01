'use strict';
// Shared helpers for the benchmark sections: processes, load generation, summaries.
const { spawn } = require('node:child_process');
const { readFileSync } = require('node:fs');
const path = require('node:path');
const autocannon = require('autocannon');
const { freePort, waitForHealth } = require('../scripts/lib/local-service');

const ROOT = path.join(__dirname, '..');

/** Starts a Node script as a child process on a free port; resolves once /health answers. */
async function startProcess(name, script, env = {}) {
  const port = await freePort();
  let stderr = '';
  const child = spawn(process.execPath, [script], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr.on('data', (d) => (stderr += d.toString()));
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(baseUrl, child);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${name} did not start: ${err.message}\n${stderr.slice(0, 2000)}`);
  }
  return {
    name,
    baseUrl,
    pid: child.pid,
    child,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** Resident set size of a process in MB (Linux /proc). */
function rssMb(pid) {
  try {
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- the /proc status of a process the bench started
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /VmRSS:\s+(\d+) kB/.exec(status);
    return m ? Math.round((Number(m[1]) / 1024) * 10) / 10 : undefined;
  } catch {
    return undefined;
  }
}

/** Runs autocannon and returns the figures we report. */
function load({ url, method = 'GET', body, headers = {}, connections = 32, duration = 10 }) {
  return new Promise((resolve, reject) => {
    const opts = {
      url,
      method,
      connections,
      duration,
      pipelining: 1,
      headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body ? JSON.stringify(body) : undefined,
    };
    autocannon(opts, (err, result) => {
      if (err) return reject(err);
      resolve({
        reqPerSec: Math.round(result.requests.average),
        p50Ms: result.latency.p50,
        p99Ms: result.latency.p99,
        requests: result.requests.total,
        errors: result.errors + result.timeouts,
        non2xx: result.non2xx,
      });
    });
  });
}

/** Latency percentiles (ms) of a list of samples. */
function percentiles(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
  return { p50: round(at(0.5)), p99: round(at(0.99)), max: round(s[s.length - 1]), n: s.length };
}

function round(x, digits = 2) {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Times one request in milliseconds; returns the status and parsed body too. */
async function timed(url, { method = 'GET', body, headers = {} } = {}) {
  const started = process.hrtime.bigint();
  const res = await fetch(url, {
    method,
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { ms, status: res.status, body: json };
}

module.exports = { ROOT, freePort, startProcess, rssMb, load, percentiles, round, timed };
