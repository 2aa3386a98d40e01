/**
 * One line naming every problem: the problem itself when there is one, else a count and the
 * problems numbered (a problem's own text may hold a semicolon, so numbers keep them apart).
 */
export function describeProblems(problems: readonly string[]): string {
  if (problems.length === 1) return problems[0];
  return `${problems.length} problems: ${problems.map((problem, i) => `(${i + 1}) ${problem}`).join('; ')}`;
}
