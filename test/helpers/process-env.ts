/**
 * Sets (or, for `undefined`, unsets) variables of this process's environment, for code that
 * reads it directly (e.g. the AWS SDK's credential chain). Returns the function that puts the
 * previous values back.
 */
export function overrideProcessEnv(vars: Record<string, string | undefined>): () => void {
  const saved = Object.keys(vars).map((name) => [name, process.env[name]] as const);
  const apply = (entries: Iterable<readonly [string, string | undefined]>) => {
    for (const [name, value] of entries) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  apply(Object.entries(vars));
  return () => apply(saved);
}
