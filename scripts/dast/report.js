'use strict';
/**
 * Reads wapiti's JSON reports, sets the documented false positives apart, prints a summary by
 * severity and decides the gate: a high or critical finding that is not accepted fails it.
 *
 * Alone: node scripts/dast/report.js dev=reports/dast/dev.json prod=reports/dast/prod.json
 * (exit code 1 when the gate fails, 2 when a report cannot be read).
 */
const { readFileSync } = require('node:fs');

const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'];
/** wapiti's levels (wapitiCore/language/vulnerability.py): 4 critical … 0 info. */
const SEVERITY_OF_LEVEL = new Map([
  [4, 'critical'],
  [3, 'high'],
  [2, 'medium'],
  [1, 'low'],
  [0, 'info'],
]);
const FAILING = new Set(['critical', 'high']);

/**
 * Findings reviewed and accepted, with the reason; docs/resilience.md lists the same. A finding is
 * accepted when its category and text match and, if `profiles` is given, it came from one of them.
 */
const ACCEPTED = [
  {
    category: 'HTTP Secure Headers',
    info: 'X-XSS-Protection is not set',
    reason:
      'the header only drove the XSS auditor that browsers have removed; the OWASP REST Security cheat sheet leaves it out of API responses, which carry a deny-all CSP instead',
  },
  {
    category: 'HTTP Secure Headers',
    info: 'Strict-Transport-Security is not set',
    profiles: ['dev'],
    reason:
      'the dev scan speaks plain HTTP, and HSTS is sent only on requests that arrived over HTTPS (the prod scan comes through a trusted proxy with X-Forwarded-Proto: https and must see it)',
  },
];

function severityOf(level) {
  return SEVERITY_OF_LEVEL.get(Number(level)) ?? 'info';
}

/** Every vulnerability, anomaly and additional of one wapiti JSON report, flattened. */
function findingsOf(profile, report) {
  const out = [];
  const { vulnerabilities = {}, anomalies = {}, additionals = {} } = report;
  for (const [kind, groups] of Object.entries({ vulnerabilities, anomalies, additionals })) {
    for (const [category, items] of Object.entries(groups)) {
      for (const item of items) {
        out.push({
          profile,
          kind,
          category,
          severity: severityOf(item.level),
          method: item.method,
          path: item.path,
          parameter: item.parameter || undefined,
          info: String(item.info ?? '').split('\n')[0],
        });
      }
    }
  }
  return out;
}

function acceptance(finding) {
  return ACCEPTED.find(
    (a) => a.category === finding.category && a.info === finding.info && (a.profiles === undefined || a.profiles.includes(finding.profile)),
  );
}

function line(f) {
  const where = `${f.method} ${f.path}${f.parameter ? ` [${f.parameter}]` : ''}`;
  return `${f.severity.padEnd(8)} ${f.profile.padEnd(5)} ${f.category}: ${where}: ${f.info}`;
}

/**
 * @param {{ profile: string, report: object }[]} runs one wapiti report per scanned profile
 * @returns {{ text: string, failed: boolean, open: object[], accepted: object[] }}
 */
function summarise(runs) {
  const all = runs.flatMap(({ profile, report }) => findingsOf(profile, report));
  const accepted = all.filter((f) => acceptance(f) !== undefined);
  const open = all.filter((f) => acceptance(f) === undefined);
  const failing = open.filter((f) => FAILING.has(f.severity));
  const profiles = runs.map((r) => r.profile);
  const out = [`Findings by severity (${profiles.join(', ')}; accepted in brackets):`];
  for (const severity of SEVERITIES) {
    const cells = profiles.map((p) => {
      const of = (list) => list.filter((f) => f.profile === p && f.severity === severity).length;
      return `${p} ${of(open)} [${of(accepted)}]`;
    });
    out.push(`  ${severity.padEnd(8)} ${cells.join('   ')}`);
  }
  if (accepted.length > 0) {
    out.push('Accepted (documented false positives, docs/resilience.md):');
    for (const f of accepted) out.push(`  ${line(f)}\n      why: ${acceptance(f).reason}`);
  }
  if (open.length > 0) {
    out.push('Open findings:');
    for (const f of open) out.push(`  ${line(f)}`);
  }
  out.push(
    failing.length > 0
      ? `DAST: FAIL, ${failing.length} high or critical finding(s) to fix or document`
      : 'DAST: PASS, no open high or critical finding',
  );
  return { text: out.join('\n'), failed: failing.length > 0, open, accepted };
}

function main(args) {
  if (args.length === 0) {
    process.stderr.write('usage: node scripts/dast/report.js <profile>=<wapiti json report>...\n');
    return 2;
  }
  const runs = [];
  for (const arg of args) {
    const eq = arg.indexOf('=');
    const [profile, file] = eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : ['scan', arg];
    try {
      // eslint-disable-next-line security/detect-non-literal-fs-filename -- a report path given on the command line by CI or a developer
      runs.push({ profile, report: JSON.parse(readFileSync(file, 'utf8')) });
    } catch (err) {
      process.stderr.write(`DAST: cannot read the wapiti report ${file}: ${err.message}\n`);
      return 2;
    }
  }
  const { text, failed } = summarise(runs);
  process.stdout.write(`${text}\n`);
  return failed ? 1 : 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));

module.exports = { summarise, ACCEPTED };
