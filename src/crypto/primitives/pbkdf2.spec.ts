import { PBKDF2_MIN_ITERATIONS, pbkdf2Sha256 } from './pbkdf2';

describe('PBKDF2-HMAC-SHA256', () => {
  it('matches RFC 7914 §11 (P = "Password", S = "NaCl", c = 80000, dkLen = 64)', async () => {
    const out = await pbkdf2Sha256('Password', Buffer.from('NaCl'), 80_000, 64);
    expect(out.toString('hex')).toBe(
      '4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56' +
        'a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d',
    );
  });

  it('defaults to 32 bytes and refuses iteration counts below the floor', async () => {
    expect((await pbkdf2Sha256('pw', Buffer.alloc(16))).length).toBe(32);
    await expect(pbkdf2Sha256('pw', Buffer.alloc(16), PBKDF2_MIN_ITERATIONS - 1)).rejects.toThrow(RangeError);
    await expect(pbkdf2Sha256('pw', Buffer.alloc(16), 1.5e4 + 0.5)).rejects.toThrow(RangeError);
  });
});
