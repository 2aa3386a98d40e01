import type { AppConfig } from './app-config';
import { DotEnvUse, withDotEnv } from './dot-env';
import { ConfigValidationError, loadConfig } from './load-config';

type Env = Readonly<Record<string, string | undefined>>;

export interface ProcessConfig {
  config: AppConfig;
  /** The environment the configuration was built from (the real one, plus .env in dev). */
  environment: Env;
  /** Set when .env was read (dev only). */
  dotEnv?: DotEnvUse;
}

/**
 * The configuration of the running process: the real environment, completed in dev by `.env` from
 * `dir` (dot-env.ts), validated once by loadConfig. Problems with the file and with the variables
 * are reported together, in one ConfigValidationError.
 */
export function loadProcessConfig(env: Env, dir: string): ProcessConfig {
  const { env: environment, dotEnv, problems } = withDotEnv(env, dir);
  let config: AppConfig;
  try {
    config = loadConfig(environment);
  } catch (err) {
    if (err instanceof ConfigValidationError) throw new ConfigValidationError([...problems, ...err.problems]);
    throw err;
  }
  if (problems.length > 0) throw new ConfigValidationError(problems);
  return { config, environment, dotEnv };
}
