import { createDecipheriv, randomBytes } from 'node:crypto';
import { KeyType } from './key-types';
import { KeyUnwrapError, KeyWrapper, WrapContext } from './key-wrapper';

describe('KeyWrapper', () => {
  const master = randomBytes(32);
  const wrapper = new KeyWrapper(master);
  const material = randomBytes(32);
  const context: WrapContext = {
    tenant: 'acme',
    id: 'k1',
    version: 3,
    type: KeyType.ED25519,
    part: 'key',
    createdAt: '2026-12-03T00:00:00.000Z',
    publicKey: 'cHVibGlj',
  };

  it('wraps with AES-256-GCM under the master key, bound to tenant, id, version, type, part, date and public key', () => {
    const wrapped = wrapper.wrap(material, context);
    const raw = Buffer.from(wrapped, 'base64');
    expect(raw.length).toBe(12 + 32 + 16);
    expect(raw.includes(material)).toBe(false);
    const d = createDecipheriv('aes-256-gcm', master, raw.subarray(0, 12));
    d.setAuthTag(raw.subarray(raw.length - 16));
    d.setAAD(Buffer.from(JSON.stringify(['mfn-key-wrap:v2', 'acme', 'k1', 3, 'Ed25519', 'key', context.createdAt, 'cHVibGlj'])));
    expect(Buffer.concat([d.update(raw.subarray(12, raw.length - 16)), d.final()]).equals(material)).toBe(true);
    expect(wrapper.unwrap(wrapped, context).equals(material)).toBe(true);
  });

  it.each<[string, Partial<WrapContext>]>([
    ['tenant', { tenant: 'other' }],
    ['id', { id: 'k2' }],
    ['version', { version: 4 }],
    ['type', { type: KeyType.X25519 }],
    ['part', { part: 'hmac' }],
    ['creation time', { createdAt: '2026-12-04T00:00:00.000Z' }],
    ['public key', { publicKey: 'YXR0YWNrZXI=' }],
    ['missing public key', { publicKey: undefined }],
  ])('refuses a blob read with another %s', (_name, change) => {
    const wrapped = wrapper.wrap(material, context);
    expect(() => wrapper.unwrap(wrapped, { ...context, ...change })).toThrow(KeyUnwrapError);
  });

  it('refuses a blob read with another master key', () => {
    expect(() => new KeyWrapper(randomBytes(32)).unwrap(wrapper.wrap(material, context), context)).toThrow(KeyUnwrapError);
  });

  it('recognises its own key-check value and no other', () => {
    const check = wrapper.checkValue();
    expect(wrapper.matches(check)).toBe(true);
    expect(new KeyWrapper(randomBytes(32)).matches(check)).toBe(false);
    expect(wrapper.matches('not base64 at all')).toBe(false);
  });
});
