/**
 * Sets (or, for `undefined`, unsets) variables of this process's environment, for code that
 * reads it directly (e.g. the AWS SDK's credential chain). Returns the function that puts the
 * previous values back.
 */
export function overrideProcessEnv(vars: Record<string, string | undefined>): () => void {
  // eslint-disable-next-line security/detect-object-injection -- `name` is a variable the test sets on purpose
  const saved = Object.keys(vars).map((name) => [name, process.env[name]] as const);
  const apply = (entries: Iterable<readonly [string, string | undefined]>) => {
    for (const [name, value] of entries) {
      // eslint-disable-next-line security/detect-object-injection -- `name` is a variable the test sets on purpose
      if (value === undefined) delete process.env[name];
      // eslint-disable-next-line security/detect-object-injection -- `name` is a variable the test sets on purpose
      else process.env[name] = value;
    }
  };
  apply(Object.entries(vars));
  return () => apply(saved);
}
