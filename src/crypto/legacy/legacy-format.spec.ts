import { createCipheriv, createDecipheriv, createHmac, pbkdf2Sync } from 'node:crypto';
import { LegacyDecryptionError, decryptData, encryptData, generateLegacyMasterKey } from './legacy-format';

function fromToken(token: string): Buffer {
  return Buffer.from(token.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}
function toToken(raw: Buffer): string {
  return raw.toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}

describe('legacy encrypt_data / decrypt_data', () => {
  const master = generateLegacyMasterKey();

  it('round-trips UTF-8 text, including empty and multi-block strings', async () => {
    for (const text of ['', 'hello', 'ü∑ß — 😀', 'x'.repeat(1000)]) {
      expect(await decryptData(await encryptData(text, master), master)).toBe(text);
    }
  });

  it('produces padded URL-safe base64 of salt ‖ IV ‖ AES-128-CBC ‖ HMAC-SHA256, readable with plain node:crypto', async () => {
    const token = await encryptData('documented layout', master);
    expect(token).toMatch(/^[A-Za-z0-9_-]+=*$/);
    expect(token.length % 4).toBe(0);
    const raw = fromToken(token);
    const salt = raw.subarray(0, 16);
    const iv = raw.subarray(16, 32);
    const ct = raw.subarray(32, raw.length - 32);
    const tag = raw.subarray(raw.length - 32);
    const dk = pbkdf2Sync(master, salt, 100_000, 32, 'sha256');
    expect(createHmac('sha256', dk.subarray(16)).update(Buffer.concat([salt, iv, ct])).digest().equals(tag)).toBe(true);
    const d = createDecipheriv('aes-128-cbc', dk.subarray(0, 16), iv);
    expect(Buffer.concat([d.update(ct), d.final()]).toString()).toBe('documented layout');
  });

  it('reads a token built independently from the documented recipe', async () => {
    const salt = Buffer.alloc(16, 1);
    const iv = Buffer.alloc(16, 2);
    const dk = pbkdf2Sync('a text master key', salt, 100_000, 32, 'sha256');
    const c = createCipheriv('aes-128-cbc', dk.subarray(0, 16), iv);
    const ct = Buffer.concat([c.update('existing data'), c.final()]);
    const tag = createHmac('sha256', dk.subarray(16)).update(Buffer.concat([salt, iv, ct])).digest();
    expect(await decryptData(toToken(Buffer.concat([salt, iv, ct, tag])), 'a text master key')).toBe('existing data');
  });

  it('refuses a wrong master key, any tampered byte, truncation and garbage with one generic error', async () => {
    const token = await encryptData('secret', master);
    await expect(decryptData(token, generateLegacyMasterKey())).rejects.toThrow(LegacyDecryptionError);
    const raw = fromToken(token);
    for (const i of [0, 16, 32, raw.length - 1]) {
      const t = Buffer.from(raw);
      // eslint-disable-next-line security/detect-object-injection -- integer index into the token's bytes
      t[i] ^= 1;
      await expect(decryptData(toToken(t), master)).rejects.toThrow(LegacyDecryptionError);
    }
    await expect(decryptData(toToken(raw.subarray(0, 64)), master)).rejects.toThrow(LegacyDecryptionError);
    await expect(decryptData('!!!not a token!!', master)).rejects.toThrow(LegacyDecryptionError);
    await expect(decryptData(token.replace(/=+$/, ''), master)).rejects.toThrow(LegacyDecryptionError);
  });

  it('refuses authentic data that is not UTF-8', async () => {
    const token = await encryptData(Buffer.from([0xff, 0xfe, 0xfd]), master);
    await expect(decryptData(token, master)).rejects.toThrow(LegacyDecryptionError);
  });

  it('needs the same iteration count to read a token', async () => {
    const token = await encryptData('slow', master, { iterations: 120_000 });
    expect(await decryptData(token, master, { iterations: 120_000 })).toBe('slow');
    await expect(decryptData(token, master)).rejects.toThrow(LegacyDecryptionError);
  });
});
