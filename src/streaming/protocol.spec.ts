import { parseClientFrame } from './protocol';

describe('parseClientFrame', () => {
  it('accepts the client types with an object or absent payload', () => {
    expect(parseClientFrame('{"type":"init","payload":{"protocol_version":"1.0"}}', false)).toEqual({ type: 'init', payload: { protocol_version: '1.0' } });
    expect(parseClientFrame('{"type":"pong"}', false)).toEqual({ type: 'pong', payload: {} });
  });

  it.each([
    ['binary', '{"type":"init"}', true],
    ['not JSON', 'hello', false],
    ['array', '[1]', false],
    ['unknown type', '{"type":"__proto__"}', false],
    ['payload array', '{"type":"init","payload":[]}', false],
    ['payload string', '{"type":"init","payload":"x"}', false],
  ])('refuses %s', (_name, data, binary) => {
    expect(typeof parseClientFrame(data, binary)).toBe('string');
  });
});

describe('parseClientFrame shape limits (before JSON.parse)', () => {
  const nested = (n: number) => `{"type":"init","payload":{"x":${'['.repeat(n)}${']'.repeat(n)}}}`;

  it('accepts a full subscribe frame', () => {
    const frame = { type: 'subscribe', payload: { stream_type: 'stream_features', stream_id: 'a', params: { features: ['pot_mean_mV', 'active_nodes'], seed: 1, grid_size: 8 } } };
    expect(parseClientFrame(Buffer.from(JSON.stringify(frame)), false)).toEqual(frame);
  });

  it.each([
    ['nesting', nested(20_000), /nesting levels \(at most 8\)/],
    ['values', JSON.stringify({ type: 'init', payload: { x: Array.from({ length: 600 }, () => 1) } }), /too many values/],
    ['a long string', JSON.stringify({ type: 'init', payload: { x: 'y'.repeat(5000) } }), /bytes in one string/],
    ['an unterminated string', '{"type":"init","payload":{"x":"abc', /not JSON/],
  ])('refuses %s', (_name, data, reason) => {
    expect(parseClientFrame(Buffer.from(data), false)).toMatch(reason);
  });

  it('keeps `__proto__` an own key of the payload, never the prototype', () => {
    const frame = parseClientFrame('{"type":"init","payload":{"__proto__":{"polluted":1}}}', false);
    expect(typeof frame).toBe('object');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
