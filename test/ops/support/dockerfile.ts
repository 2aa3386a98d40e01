/**
 * Reads a Dockerfile into stages of instructions: comments and blank lines dropped, `\`
 * continuations joined, ARGs before the first FROM kept for substitution in FROM lines.
 */
export interface Instruction {
  keyword: string;
  args: string;
}

export interface Stage {
  /** Base image after ARG substitution. */
  from: string;
  name?: string;
  instructions: Instruction[];
}

export interface ParsedDockerfile {
  globalArgs: Record<string, string>;
  stages: Stage[];
}

export function parseDockerfile(text: string): ParsedDockerfile {
  const logical: string[] = [];
  let current = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trimEnd();
    if (current === '' && (line.trim() === '' || line.trimStart().startsWith('#'))) continue;
    if (current !== '' && line.trimStart().startsWith('#')) continue;
    if (line.endsWith('\\')) {
      current += `${line.slice(0, -1)} `;
      continue;
    }
    logical.push((current + line).trim());
    current = '';
  }
  if (current.trim() !== '') logical.push(current.trim());

  const globalArgs: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const line of logical) {
    const m = /^(\S+)\s*(.*)$/.exec(line);
    if (!m) continue;
    const keyword = m[1].toUpperCase();
    const args = m[2].replace(/\s+/g, ' ').trim();
    if (keyword === 'FROM') {
      // eslint-disable-next-line security/detect-unsafe-regex -- test parser of the repository's own Dockerfile; whitespace-separated tokens of non-space characters
      const parts = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      if (!parts) throw new Error(`bad FROM line: ${line}`);
      // eslint-disable-next-line security/detect-object-injection -- test parser of the repository's own Dockerfile: an ARG name it declares
      const from = parts[1].replace(/\$\{?(\w+)\}?/g, (_all, name: string) => globalArgs[name] ?? '');
      stages.push({ from, name: parts[2], instructions: [] });
      continue;
    }
    if (stages.length === 0) {
      if (keyword !== 'ARG') throw new Error(`${keyword} before the first FROM`);
      const [name, value = ''] = args.split('=', 2);
      // eslint-disable-next-line security/detect-object-injection -- test parser of the repository's own Dockerfile: an ARG name it declares
      globalArgs[name] = value;
      continue;
    }
    stages[stages.length - 1].instructions.push({ keyword, args });
  }
  return { globalArgs, stages };
}

/** `KEY=value KEY2="v 2"` (and the legacy `KEY value`) → record. */
export function parseEnvArgs(args: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!args.includes('=')) {
    const [key, ...rest] = args.split(' ');
    // eslint-disable-next-line security/detect-object-injection -- test parser of the repository's own Dockerfile: an ENV name it declares
    out[key] = rest.join(' ');
    return out;
  }
  for (const m of args.matchAll(/(\w+)=("(?:[^"\\]|\\.)*"|\S*)/g)) {
    out[m[1]] = m[2].startsWith('"') ? (JSON.parse(m[2]) as string) : m[2];
  }
  return out;
}

/** The exec-form JSON array of CMD/ENTRYPOINT/HEALTHCHECK CMD, or undefined for shell form. */
export function execForm(args: string): string[] | undefined {
  const start = args.indexOf('[');
  if (start === -1) return undefined;
  try {
    const parsed = JSON.parse(args.slice(start)) as unknown;
    return Array.isArray(parsed) && parsed.every((x) => typeof x === 'string') ? (parsed as string[]) : undefined;
  } catch {
    return undefined;
  }
}
