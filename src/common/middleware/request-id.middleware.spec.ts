import { isValidRequestId } from './request-id.middleware';

describe('request id validity', () => {
  it.each(['my-trace-123', 'a', 'A.b_c:d-e', 'x'.repeat(128)])('accepts %s', (id) => expect(isValidRequestId(id)).toBe(true));
  it.each(['', 'x'.repeat(129), '<script>', 'has space', 'ünï', 'a/b', 'a\nb'])('rejects %j', (id) =>
    expect(isValidRequestId(id)).toBe(false),
  );
});
