'use strict';
/**
 * CI's dependency audit: `npm audit --omit=dev --audit-level=high` on the runtime dependencies.
 *
 * - The audit ran: one line of counts by severity; each high or critical advisory is listed and
 *   fails the run (exit 1).
 * - The audit could not run (the registry's advisory endpoint refused or did not answer, e.g.
 *   405 from a registry mirror without it): one line saying so, and the run carries on (exit 0).
 *   That is never reported as a clean audit.
 *
 * node scripts/dependency-audit.js   (NPM names another npm binary)
 */
const { spawnSync } = require('node:child_process');

const NPM = process.env.NPM || 'npm';
const ARGS = ['audit', '--omit=dev', '--audit-level=high', '--json'];
const FAILING = new Set(['critical', 'high']);

/** Why the audit did not produce a report, in one line (npm's JSON error, else its stderr). */
function reasonNotRun(parsed, stderr) {
  const fromJson = parsed && (parsed.message || parsed.error?.summary || parsed.error?.code);
  const fromStderr = stderr
    .split('\n')
    .map((l) => l.replace(/^npm (warn|error|ERR!) /, '').trim())
    .find((l) => l !== '');
  return String(fromJson || fromStderr || 'npm printed no report').slice(0, 300);
}

function advisoriesOf(report) {
  return Object.values(report.vulnerabilities ?? {})
    .filter((v) => FAILING.has(v.severity))
    .map((v) => {
      const via = (v.via ?? []).map((x) => (typeof x === 'string' ? `via ${x}` : `${x.title ?? 'advisory'} ${x.url ?? ''}`.trim()));
      const fix = v.fixAvailable === false ? 'no fix available' : 'fix available';
      return `  ${v.severity} ${v.name} ${v.range ?? ''}: ${[...new Set(via)].join('; ')} (${fix})`;
    });
}

function main() {
  const run = spawnSync(NPM, ARGS, { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (run.error) {
    process.stdout.write(`Dependency audit: NOT RUN, ${NPM} could not be started (${run.error.message}); runtime dependencies were not checked\n`);
    return 0;
  }
  let parsed;
  try {
    parsed = JSON.parse(run.stdout);
  } catch {
    parsed = undefined;
  }
  if (!parsed || parsed.auditReportVersion === undefined || parsed.metadata?.vulnerabilities === undefined) {
    const reason = reasonNotRun(parsed, run.stderr ?? '');
    process.stdout.write(`Dependency audit: NOT RUN, the advisory service gave no report (${reason}); runtime dependencies were not checked against advisories\n`);
    return 0;
  }
  const { critical = 0, high = 0, moderate = 0, low = 0, info = 0 } = parsed.metadata.vulnerabilities;
  const line = `critical ${critical}, high ${high}, moderate ${moderate}, low ${low}, info ${info}`;
  const failing = advisoriesOf(parsed);
  process.stdout.write(`Dependency audit (npm ${ARGS.slice(0, 3).join(' ')}): ${line}\n`);
  if (failing.length === 0) return 0;
  process.stdout.write(`${failing.join('\n')}\nDependency audit: FAIL, high or critical advisories in runtime dependencies (npm audit --omit=dev for details)\n`);
  return 1;
}

process.exitCode = main();
