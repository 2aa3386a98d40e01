import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_CODE_FOR_STATUS, ERROR_CODE_STATUSES, ErrorCode, codesForStatus } from './error-code';

/** code → sorted statuses, from the README's error table (`| 409 | \`CONFLICT\` | when |` rows). */
function readmeErrorTable(): Record<string, number[]> {
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- the repository's README
  const readme = readFileSync(join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
  const section = readme.split('\n### Errors\n')[1].split('\n### ')[0];
  const table: Record<string, number[]> = {};
  for (const row of section.split('\n').filter((line) => /^\| \d{3} \|/.test(line))) {
    const [, status, codes] = row.split('|').map((cell) => cell.trim());
    // eslint-disable-next-line security/detect-object-injection -- the table is built by this function from the README's code column
    for (const [, code] of codes.matchAll(/`([A-Z_]+)`/g)) (table[code] ??= []).push(Number(status));
  }
  for (const statuses of Object.values(table)) statuses.sort((a, b) => a - b);
  return table;
}

describe('error codes', () => {
  it("the README's error table lists exactly the catalogue's codes, each with its statuses", () => {
    // eslint-disable-next-line security/detect-object-injection -- `code` is an ErrorCode member
    const fromCode = Object.fromEntries(Object.values(ErrorCode).map((code) => [code, [...ERROR_CODE_STATUSES[code]].sort((a, b) => a - b)]));
    expect(readmeErrorTable()).toEqual(fromCode);
  });

  it('a 409 is CONFLICT', () => {
    expect(DEFAULT_CODE_FOR_STATUS.get(409)).toBe(ErrorCode.CONFLICT);
    expect(codesForStatus(409)).toEqual([ErrorCode.CONFLICT]);
  });

  it('the default code of a status is one that status is answered with', () => {
    for (const [status, code] of DEFAULT_CODE_FOR_STATUS) {
      // eslint-disable-next-line security/detect-object-injection -- `code` is an ErrorCode member
      expect({ status, code, listed: ERROR_CODE_STATUSES[code].includes(status) }).toEqual({ status, code, listed: true });
    }
  });
});
