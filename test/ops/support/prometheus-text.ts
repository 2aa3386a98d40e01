/* eslint-disable security/detect-object-injection -- test parser of the service's own /metrics text: integer indexes into a line, label maps keyed by the names read from it */
/**
 * A strict reader of the Prometheus text exposition format 0.0.4, used to check what /metrics
 * serves: every line must be a HELP, TYPE, comment, blank or sample line, and every sample must
 * belong to a family declared with both HELP and TYPE.
 */
export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface MetricFamily {
  name: string;
  help?: string;
  type?: MetricType;
  samples: Sample[];
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const HELP_LINE = new RegExp(`^# HELP (${NAME}) (.*)$`);
const TYPE_LINE = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`);
const SAMPLE_LINE = new RegExp(`^(${NAME})(\\{.*\\})? (\\S+)( -?\\d+)?$`);
// eslint-disable-next-line security/detect-unsafe-regex -- test parser of the service's own /metrics text: one sample value at a time, digits and a single optional exponent
const VALUE = /^(?:[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|[+-]Inf|NaN)$/;

export class ExpositionFormatError extends Error {}

function parseValue(raw: string, lineNo: number): number {
  if (!VALUE.test(raw)) throw new ExpositionFormatError(`line ${lineNo}: bad sample value ${JSON.stringify(raw)}`);
  if (raw === '+Inf') return Infinity;
  if (raw === '-Inf') return -Infinity;
  return Number(raw);
}

/** `{a="x",b="y\"z"}` → { a: 'x', b: 'y"z' }, rejecting anything the format does not allow. */
function parseLabels(block: string, lineNo: number): Record<string, string> {
  const labels: Record<string, string> = {};
  let i = 1;
  const end = block.length - 1;
  while (i < end) {
    const eq = block.indexOf('=', i);
    if (eq === -1) throw new ExpositionFormatError(`line ${lineNo}: label without value`);
    const name = block.slice(i, eq);
    if (!LABEL_NAME.test(name)) throw new ExpositionFormatError(`line ${lineNo}: bad label name ${JSON.stringify(name)}`);
    if (name in labels) throw new ExpositionFormatError(`line ${lineNo}: duplicate label ${name}`);
    if (block[eq + 1] !== '"') throw new ExpositionFormatError(`line ${lineNo}: label value not quoted`);
    let j = eq + 2;
    let value = '';
    for (;;) {
      if (j >= end) throw new ExpositionFormatError(`line ${lineNo}: unterminated label value`);
      const c = block[j];
      if (c === '"') break;
      if (c === '\\') {
        const next = block[j + 1];
        if (next === '\\') value += '\\';
        else if (next === '"') value += '"';
        else if (next === 'n') value += '\n';
        else throw new ExpositionFormatError(`line ${lineNo}: bad escape in label value`);
        j += 2;
        continue;
      }
      value += c;
      j++;
    }
    labels[name] = value;
    i = j + 1;
    if (block[i] === ',') i++;
    else if (i !== end) throw new ExpositionFormatError(`line ${lineNo}: expected , between labels`);
  }
  return labels;
}

/** The family a sample line belongs to, given the families declared so far. */
function familyOf(sampleName: string, families: Map<string, MetricFamily>): MetricFamily | undefined {
  const direct = families.get(sampleName);
  if (direct) return direct;
  for (const suffix of ['_bucket', '_sum', '_count']) {
    if (!sampleName.endsWith(suffix)) continue;
    const family = families.get(sampleName.slice(0, -suffix.length));
    if (!family) continue;
    if (family.type === 'histogram') return family;
    if (family.type === 'summary' && suffix !== '_bucket') return family;
  }
  return undefined;
}

export function parseExposition(text: string): Map<string, MetricFamily> {
  const families = new Map<string, MetricFamily>();
  const seenSamples = new Set<string>();
  const declare = (name: string) => {
    let f = families.get(name);
    if (!f) {
      f = { name, samples: [] };
      families.set(name, f);
    }
    return f;
  };
  if (text.length > 0 && !text.endsWith('\n')) throw new ExpositionFormatError('output must end with a line feed');
  const lines = text.split('\n');
  lines.pop();
  lines.forEach((line, index) => {
    const lineNo = index + 1;
    if (line.trim() === '') return;
    if (line.startsWith('#')) {
      const help = HELP_LINE.exec(line);
      if (help) {
        const f = declare(help[1]);
        if (f.help !== undefined) throw new ExpositionFormatError(`line ${lineNo}: second HELP for ${help[1]}`);
        if (!/^(?:[^\\]|\\[\\n])*$/.test(help[2])) throw new ExpositionFormatError(`line ${lineNo}: bad escape in HELP`);
        f.help = help[2];
        return;
      }
      const type = TYPE_LINE.exec(line);
      if (type) {
        const f = declare(type[1]);
        if (f.type !== undefined) throw new ExpositionFormatError(`line ${lineNo}: second TYPE for ${type[1]}`);
        if (f.samples.length > 0) throw new ExpositionFormatError(`line ${lineNo}: TYPE after samples of ${type[1]}`);
        f.type = type[2] as MetricType;
        return;
      }
      if (/^# (HELP|TYPE)\b/.test(line)) throw new ExpositionFormatError(`line ${lineNo}: malformed ${line.slice(2, 6)} line`);
      return;
    }
    const m = SAMPLE_LINE.exec(line);
    if (!m) throw new ExpositionFormatError(`line ${lineNo}: not a sample line: ${JSON.stringify(line.slice(0, 80))}`);
    const [, name, labelBlock, rawValue] = m;
    const family = familyOf(name, families);
    if (!family) throw new ExpositionFormatError(`line ${lineNo}: sample ${name} before its HELP/TYPE`);
    const labels = labelBlock ? parseLabels(labelBlock, lineNo) : {};
    if (name.endsWith('_bucket') && family.type === 'histogram' && labels.le === undefined) {
      throw new ExpositionFormatError(`line ${lineNo}: histogram bucket without le`);
    }
    const key = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
    if (seenSamples.has(key)) throw new ExpositionFormatError(`line ${lineNo}: duplicate sample ${name}`);
    seenSamples.add(key);
    family.samples.push({ name, labels, value: parseValue(rawValue, lineNo) });
  });
  for (const f of families.values()) {
    if (f.help === undefined || f.type === undefined) {
      throw new ExpositionFormatError(`family ${f.name} lacks ${f.help === undefined ? 'HELP' : 'TYPE'}`);
    }
  }
  return families;
}

/** Value of the one sample with exactly these name and label values (0 when it was never recorded). */
export function sampleValue(families: Map<string, MetricFamily>, sampleName: string, labels: Record<string, string>): number {
  const family = familyOf(sampleName, families);
  if (!family) throw new Error(`no metric family for ${sampleName}`);
  const hits = family.samples.filter(
    (s) =>
      s.name === sampleName &&
      Object.keys(labels).length === Object.keys(s.labels).length &&
      Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
  if (hits.length > 1) throw new Error(`ambiguous sample ${sampleName}`);
  return hits[0]?.value ?? 0;
}
