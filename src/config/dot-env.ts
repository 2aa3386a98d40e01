import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { envValue } from './environment';

/** The dev environment file, in the working directory. Git- and docker-ignored. */
export const DOT_ENV_FILE = '.env';

type Env = Readonly<Record<string, string | undefined>>;

/** What was taken from the file: its path and the names of the variables it supplied (never values). */
export interface DotEnvUse {
  path: string;
  variables: string[];
}

export interface EnvironmentWithDotEnv {
  /** The environment the configuration is built from: the real one, completed by .env in dev. */
  env: Env;
  /** Set when a .env file was read. */
  dotEnv?: DotEnvUse;
  /** Problems with the file itself, reported with the configuration's own. */
  problems: string[];
}

/** The real environment selects dev: MFN_ENV unset, blank or `dev` (any case). */
function selectsDev(env: Env): boolean {
  const profile = env.MFN_ENV?.trim().toLowerCase();
  return !profile || profile === 'dev';
}

/**
 * Completes the environment with `.env` from `dir`, in the dev profile only: staging and prod never
 * read it (the profile is decided by the real environment before the file is opened, and a .env
 * that names another profile is refused). A variable set in the real environment wins over the
 * file. Parsed by Node's own `util.parseEnv`; the values then go through the same validation as
 * any other (loadConfig), and secrets in it are served by the env secrets backend like real
 * variables. Pure apart from reading the file: the real environment is never modified.
 */
export function withDotEnv(env: Env, dir: string): EnvironmentWithDotEnv {
  if (!selectsDev(env)) return { env, problems: [] };
  const path = join(dir, DOT_ENV_FILE);
  let text: string;
  try {
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- `.env` in the service's own directory
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { env, problems: [] };
    return { env, problems: [`${DOT_ENV_FILE} cannot be read (${typeof code === 'string' ? code : 'I/O error'})`] };
  }
  const values = parseEnv(text);
  const problems: string[] = [];
  if (!selectsDev(values)) {
    problems.push(`MFN_ENV in ${DOT_ENV_FILE} must be dev or unset: ${DOT_ENV_FILE} is read only in the dev profile (set MFN_ENV in the environment)`);
  }
  // A real variable wins over the file.
  const taken = Object.entries(values)
    .filter(([name, value]) => envValue(env, name) === undefined && value !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const variables = taken.map(([name]) => name);
  const merged: Record<string, string | undefined> = { ...env, ...Object.fromEntries(taken) };
  return { env: merged, dotEnv: { path, variables }, problems };
}
