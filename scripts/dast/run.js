'use strict';
/**
 * DAST baseline: Debian's wapiti against the built service (dist/, nothing is built here), twice:
 * the dev profile, and the prod profile with an API key behind a trusted TLS-terminating proxy
 * (X-Forwarded-Proto: https). Start URLs come from the service's own /openapi.json
 * (seeds.js). Reports, the wapiti and service logs and summary.txt go to reports/dast/
 * (git-ignored); the summary by severity is printed, and a high or critical finding that is not a
 * documented false positive (report.js, docs/resilience.md) fails the run, as does an answer 500
 * or a scan that could not run.
 *
 * node scripts/dast/run.js   (after npm run build; .ci/run calls it after the tests)
 * Knobs: DAST_MAX_SCAN_S (crawl, default 30), DAST_MAX_ATTACK_S (per attack module, default 10),
 * DAST_TIMEOUT_S (hard limit per wapiti run, default 180), DAST_REPORT_DIR, WAPITI (the binary).
 */
const { spawn, spawnSync } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const path = require('node:path');
const { summarise } = require('./report');
const { seedUrls } = require('./seeds');
const { MAIN, ROOT, startService } = require('./service');

const OUT = path.resolve(process.env.DAST_REPORT_DIR || path.join(ROOT, 'reports', 'dast'));
const MAX_SCAN_S = Number(process.env.DAST_MAX_SCAN_S || 30);
const MAX_ATTACK_S = Number(process.env.DAST_MAX_ATTACK_S || 10);
const TIMEOUT_S = Number(process.env.DAST_TIMEOUT_S || 180);
const WAPITI = process.env.WAPITI || 'wapiti';
/**
 * wapiti's default modules without ssrf (it needs wapiti's public callback server), plus the
 * CRLF, HTTP method, access-control bypass, backup file and Shellshock checks. Not run: xxe (also
 * the callback server; the service parses JSON only), nikto and wapp (databases fetched from the
 * Internet), buster and brute_login_form (word-list brute force, no login form here).
 */
const MODULES = 'common,-ssrf,crlf,methods,htaccess,backup,shellshock';

const API_KEY = randomBytes(24).toString('hex');
const PROD_ENV = {
  MFN_ENV: 'prod',
  MFN_API_KEY: API_KEY,
  MFN_MASTER_KEY: randomBytes(32).toString('base64'),
  // As deployed behind the ingress: the proxy terminates TLS and says so in X-Forwarded-Proto.
  MFN_TRUST_PROXY_HEADERS: 'true',
  // The scanner is one client: limits it would exhaust in seconds are raised, the limiter stays on.
  MFN_RATE_LIMIT_REQUESTS: '1000000',
  MFN_RATE_LIMIT_ROUTES: '/health=1000000,/nernst=1000000,/simulate=1000000,/validate=1000000,/federated/aggregate=1000000',
  MFN_LOG_FORMAT: 'json',
};
const PROD_HEADERS = { 'X-API-Key': API_KEY, 'X-Forwarded-Proto': 'https' };

function log(text) {
  process.stdout.write(`${text}\n`);
}

/** Runs wapiti once; resolves when it exits, rejects on a non-zero exit or when it overruns TIMEOUT_S. */
function wapiti(args, logFile) {
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- a log file under the report folder this run owns
  const out = openSync(logFile, 'w');
  const child = spawn(WAPITI, args, { stdio: ['ignore', out, out] });
  closeSync(out);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
      reject(new Error(`wapiti did not finish within ${TIMEOUT_S} s (log: ${logFile})`));
    }, TIMEOUT_S * 1000);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`wapiti exited with ${signal ?? `code ${code}`} (log: ${logFile})`));
    });
  });
}

/** Answers the service counted while scanned, by status (its own mfn_http_requests_total). */
async function answeredByStatus(baseUrl) {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const byStatus = new Map();
  for (const m of text.matchAll(/^mfn_http_requests_total\{[^}]*status="(\d{3})"[^}]*\} (\S+)$/gm)) {
    byStatus.set(m[1], (byStatus.get(m[1]) ?? 0) + Number(m[2]));
  }
  return byStatus;
}

/** Creates the key the seeds name (`dast-key`), so its routes answer with a real resource. */
async function createScanKey(baseUrl, headers) {
  const res = await fetch(`${baseUrl}/api/keys`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ key_id: 'dast-key', type: 'AES-256-GCM' }),
  });
  if (res.status !== 201) throw new Error(`creating the scan's key answered ${res.status}`);
}

async function scan(profile, env, headers, seedsFrom) {
  const service = await startService(env, path.join(OUT, `${profile}-service.log`));
  try {
    await createScanKey(service.baseUrl, headers);
    const document = seedsFrom ?? (await (await fetch(`${service.baseUrl}/openapi.json`)).json());
    // Kept beside the reports: a ZAP API scan of the prod profile can read it (docs/resilience.md).
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- the report folder (reports/dast or DAST_REPORT_DIR)
    if (seedsFrom === undefined) writeFileSync(path.join(OUT, 'openapi.json'), JSON.stringify(document, null, 2));
    const seeds = seedUrls(service.baseUrl, document);
    const report = path.join(OUT, `${profile}.json`);
    const args = [
      ...['-u', `${service.baseUrl}/`, '--scope', 'folder', '-m', MODULES],
      ...seeds.flatMap((url) => ['-s', url]),
      ...Object.entries(headers).flatMap(([name, value]) => ['-H', `${name}: ${value}`]),
      ...['--max-scan-time', String(MAX_SCAN_S), '--max-attack-time', String(MAX_ATTACK_S)],
      ...['--flush-session', '--store-session', path.join(OUT, `${profile}-session`), '--store-config', path.join(OUT, 'config')],
      ...['-f', 'json', '-o', report, '--no-bugreport', '-v', '1'],
    ];
    const started = Date.now();
    log(`DAST ${profile}: wapiti on ${seeds.length} start URLs, ${MODULES}, crawl <= ${MAX_SCAN_S} s, <= ${MAX_ATTACK_S} s per module`);
    await wapiti(args, path.join(OUT, `${profile}-wapiti.log`));
    const answered = await answeredByStatus(service.baseUrl);
    const total = [...answered.values()].reduce((a, b) => a + b, 0);
    const statuses = [...answered.entries()].sort().map(([s, n]) => `${s}: ${n}`).join(', ');
    log(`DAST ${profile}: ${Math.round((Date.now() - started) / 1000)} s, ${total} requests answered (${statuses})`);
    return { profile, document, answered, total, report };
  } finally {
    await service.stop();
  }
}

async function main() {
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- this repository's dist/main.js
  if (!existsSync(MAIN)) throw new Error('dist/main.js is missing: run `npm run build` first (the scan builds nothing)');
  const version = spawnSync(WAPITI, ['--version'], { encoding: 'utf8' });
  if (version.error || version.status !== 0) {
    throw new Error(`${WAPITI} is not installed (Debian: apt-get install -y wapiti)`);
  }
  rmSync(OUT, { recursive: true, force: true });
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- the report folder (reports/dast or DAST_REPORT_DIR)
  mkdirSync(path.join(OUT, 'config'), { recursive: true });
  // wapiti 3.0.4 sets up every module, and its wapp module downloads a database from the Internet
  // when it finds none stored. wapp is not run: an empty database keeps the scan offline.
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- the report folder (reports/dast or DAST_REPORT_DIR)
  writeFileSync(path.join(OUT, 'config', 'apps.json'), '{}\n');

  const dev = await scan('dev', { MFN_ENV: 'dev', MFN_LOG_LEVEL: 'WARNING' }, {}, undefined);
  // The prod profile serves no /openapi.json: it is scanned at the dev document's routes.
  const prod = await scan('prod', PROD_ENV, PROD_HEADERS, dev.document);

  // eslint-disable-next-line security/detect-non-literal-fs-filename -- the reports wapiti wrote under this run's folder
  const runs = [dev, prod].map((r) => ({ profile: r.profile, report: JSON.parse(readFileSync(r.report, 'utf8')) }));
  const summary = summarise(runs);
  const errors = [dev, prod].filter((r) => (r.answered.get('500') ?? 0) > 0);
  const lines = [summary.text];
  for (const r of errors) lines.push(`DAST: FAIL, the ${r.profile} service answered 500 ${r.answered.get('500')} time(s): see ${r.profile}-service.log`);
  const text = lines.join('\n');
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- the report folder (reports/dast or DAST_REPORT_DIR)
  writeFileSync(path.join(OUT, 'summary.txt'), `${text}\n`);
  log(text);
  const relative = path.relative(ROOT, OUT);
  log(`Reports: ${relative.startsWith('..') ? OUT : relative}/`);
  return summary.failed || errors.length > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`DAST: could not run: ${err.message}\n`);
    process.exitCode = 2;
  },
);
