import type { AppConfig } from '../config';
import type { CryptoCaller } from './caller';
import type { CryptoActivity } from './crypto-activity';
import { CryptoService } from './crypto.service';
import type { KeyResolver } from './keys/key-resolver.service';
import { HmacService } from './hmac.service';
import { SigningService } from './signing.service';

/**
 * The decoded-size limit cannot be reached through HTTP (1,048,576 base64 characters decode to at
 * most 786,432 bytes), so it is checked here directly, in case the field limit is ever raised.
 */
describe('decoded size limit', () => {
  const keys = { current: jest.fn(), existing: jest.fn(), latestVersionOf: jest.fn() };
  const activity = { run: (_op: string, _c: unknown, _s: unknown, body: (t: object) => Promise<unknown>) => body({}), defaultCreated: jest.fn() };
  const config = { crypto: { acceptUnversioned: false } } as unknown as AppConfig;
  const crypto = new CryptoService(config, keys as unknown as KeyResolver, activity as unknown as CryptoActivity);
  const resolver = keys as unknown as KeyResolver;
  const hmacs = new HmacService(config, resolver, activity as unknown as CryptoActivity);
  const signing = new SigningService(config, resolver, activity as unknown as CryptoActivity, hmacs);
  const caller = { req: {}, actor: { tenant: 'default', admin: false } } as unknown as CryptoCaller;
  const tooBig = Buffer.alloc(1_048_577).toString('base64');

  it('refuses plaintexts and messages above 1,048,576 bytes with a 400 before touching keys', async () => {
    await expect(crypto.encrypt({ plaintext: tooBig }, caller)).rejects.toMatchObject({
      status: 400,
      message: 'Plaintext exceeds maximum size of 1048576 bytes',
    });
    await expect(signing.sign({ message: tooBig }, caller)).rejects.toMatchObject({
      message: 'Message exceeds maximum size of 1048576 bytes',
    });
    await expect(signing.verify({ message: tooBig, signature: 'AAAA' }, caller)).rejects.toMatchObject({ status: 400 });
    await expect(signing.verify({ message: tooBig, hmac: 'mfn:v1:AAAA' }, caller)).rejects.toMatchObject({ status: 400 });
    await expect(hmacs.hmac({ input: tooBig }, caller)).rejects.toMatchObject({ status: 400 });
    expect(keys.current).not.toHaveBeenCalled();
  });
});
