import { createDecipheriv, randomBytes } from 'node:crypto';
import { KeyType } from './key-types';
import { KeyUnwrapError, KeyWrapper } from './key-wrapper';

describe('KeyWrapper', () => {
  const master = randomBytes(32);
  const wrapper = new KeyWrapper(master);
  const material = randomBytes(32);

  it('wraps with AES-256-GCM under the master key, bound to id, version and type', () => {
    const wrapped = wrapper.wrap(material, 'k1', 3, KeyType.AES_256_GCM);
    const raw = Buffer.from(wrapped, 'base64');
    expect(raw.length).toBe(12 + 32 + 16);
    expect(raw.includes(material)).toBe(false);
    const d = createDecipheriv('aes-256-gcm', master, raw.subarray(0, 12));
    d.setAuthTag(raw.subarray(raw.length - 16));
    d.setAAD(Buffer.from('mfn-key-wrap:v1|AES-256-GCM|k1|3'));
    expect(Buffer.concat([d.update(raw.subarray(12, raw.length - 16)), d.final()]).equals(material)).toBe(true);
    expect(wrapper.unwrap(wrapped, 'k1', 3, KeyType.AES_256_GCM).equals(material)).toBe(true);
  });

  it('refuses a blob moved to another id, version or type, or read with another master key', () => {
    const wrapped = wrapper.wrap(material, 'k1', 1, KeyType.ED25519);
    expect(() => wrapper.unwrap(wrapped, 'k2', 1, KeyType.ED25519)).toThrow(KeyUnwrapError);
    expect(() => wrapper.unwrap(wrapped, 'k1', 2, KeyType.ED25519)).toThrow(KeyUnwrapError);
    expect(() => wrapper.unwrap(wrapped, 'k1', 1, KeyType.X25519)).toThrow(KeyUnwrapError);
    expect(() => new KeyWrapper(randomBytes(32)).unwrap(wrapped, 'k1', 1, KeyType.ED25519)).toThrow(KeyUnwrapError);
  });

  it('recognises its own key-check value and no other', () => {
    const check = wrapper.checkValue();
    expect(wrapper.matches(check)).toBe(true);
    expect(new KeyWrapper(randomBytes(32)).matches(check)).toBe(false);
    expect(wrapper.matches('not base64 at all')).toBe(false);
  });
});
