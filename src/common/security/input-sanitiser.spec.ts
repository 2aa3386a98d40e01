import {
  detectInjection,
  escapeHtml,
  isApiKeyFormat,
  looksLikeSqlInjection,
  looksLikeXss,
  sanitizeString,
  UnsafeInputError,
  validateStrictString,
} from './input-sanitiser';

describe('SQL injection detection', () => {
  it.each([
    'SELECT * FROM users',
    "admin'--",
    '@@version',
    '/* comment */',
    "' OR '1'='1",
    '1 OR 1=1',
    '1 and 2 = 2',
    "x'; DROP TABLE users; --",
    'union all',
    '@version',
    'update-2024',
  ])('flags %p', (value) => {
    expect(looksLikeSqlInjection(value)).toBe(true);
    expect(detectInjection(value)).toBe('sql_injection_attempt');
  });

  it.each([
    'normal user input',
    'grid_size: 64',
    '2024-01-01',
    '127.0.0.1',
    'temperature_k: 310.0',
    'Hello, World!',
    'email@example.com',
    'first.last+tag@sub.example.org',
    'key_0123456789abcdef0123456789abcdef',
    'SGVsbG8gV29ybGQh/+9=',
    'my-trace-123',
    'Hello; world',
    'selection and updates',
  ])('passes %p', (value) => {
    expect(looksLikeSqlInjection(value)).toBe(false);
    expect(detectInjection(value)).toBeUndefined();
  });
});

describe('XSS detection', () => {
  it.each([
    "<script>alert('xss')</script>",
    '<SCRIPT src=//evil>',
    'javascript:alert(1)',
    '<img src=x onerror=alert(1)>',
    '<iframe src="https://evil">',
    '<svg onload=alert(1)>',
    '" onmouseover="alert(1)',
  ])('flags %p', (value) => {
    expect(looksLikeXss(value)).toBe(true);
    expect(detectInjection(value)).toBeDefined();
  });

  it.each(['Hello <name>', 'https://example.com', 'email@example.com', '2 + 2 = 4', 'one=1', 'a < b > c'])('passes %p', (value) => {
    expect(looksLikeXss(value)).toBe(false);
  });

  it('reports script tags as xss (not SQL)', () => {
    expect(detectInjection('<script>alert(1)</script>')).toBe('xss_attempt');
  });
});

describe('escaping and sanitising', () => {
  it('escapes &, < and > and leaves quotes alone', () => {
    expect(escapeHtml("<script>alert('xss')</script>")).toBe("&lt;script&gt;alert('xss')&lt;/script&gt;");
    expect(escapeHtml('Tom & "Jerry"')).toBe('Tom &amp; "Jerry"');
  });

  it('trims, truncates, then escapes (an escape is never cut)', () => {
    expect(sanitizeString('  <b>bold</b>  ')).toBe('&lt;b&gt;bold&lt;/b&gt;');
    expect(sanitizeString('abc<def', 4)).toBe('abc&lt;');
    expect(sanitizeString('x'.repeat(2000))).toHaveLength(1000);
  });
});

describe('strict validator', () => {
  it('accepts ordinary text and returns it', () => {
    expect(validateStrictString('normal user input')).toBe('normal user input');
  });

  it('rejects empty unless allowed, long, SQL and XSS strings', () => {
    expect(() => validateStrictString('')).toThrow(UnsafeInputError);
    expect(validateStrictString('', { allowEmpty: true })).toBe('');
    expect(() => validateStrictString('x'.repeat(10_001))).toThrow('at most 10000');
    expect(() => validateStrictString('SELECT 1')).toThrow('SQL');
    expect(() => validateStrictString('<script>')).toThrow('script');
  });
});

describe('API key format check', () => {
  it('accepts 20-64 URL-safe characters only', () => {
    expect(isApiKeyFormat('a'.repeat(20))).toBe(true);
    expect(isApiKeyFormat('Ab0_-'.repeat(12))).toBe(true);
    expect(isApiKeyFormat('a'.repeat(19))).toBe(false);
    expect(isApiKeyFormat('a'.repeat(65))).toBe(false);
    expect(isApiKeyFormat(`${'a'.repeat(20)}+`)).toBe(false);
  });
});
