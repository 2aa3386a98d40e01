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
