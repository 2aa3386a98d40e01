import type { AuditService } from '../audit/audit.service';
import type { AppConfig } from '../config';
import type { MetricsService } from '../metrics/metrics.service';
import type { CryptoCaller } from './caller';
import { CryptoService } from './crypto.service';
import type { KeyManager } from './keys/key-manager.service';

/**
 * The decoded-size limit cannot be reached through HTTP (1,048,576 base64 characters decode to at
 * most 786,432 bytes), so it is checked here directly, in case the field limit is ever raised.
 */
describe('CryptoService decoded size limit', () => {
  const keys = { encryptionKey: jest.fn(), signingKey: jest.fn(), verificationKeys: jest.fn() };
  const audit = { recordForRequest: jest.fn() };
  const metrics = { cryptoOperation: jest.fn() };
  const config = { crypto: { auditLog: true } } as unknown as AppConfig;
  const service = new CryptoService(config, keys as unknown as KeyManager, audit as unknown as AuditService, metrics as unknown as MetricsService);
  const caller = { req: {}, identity: 'ip:test' } as unknown as CryptoCaller;
  const tooBig = Buffer.alloc(1_048_577).toString('base64');

  it('refuses plaintexts and messages above 1,048,576 bytes with a 400 before touching keys', async () => {
    await expect(service.encrypt({ plaintext: tooBig }, caller)).rejects.toMatchObject({
      status: 400,
      message: 'Plaintext exceeds maximum size of 1048576 bytes',
    });
    await expect(service.sign({ message: tooBig }, caller)).rejects.toMatchObject({
      message: 'Message exceeds maximum size of 1048576 bytes',
    });
    await expect(service.verify({ message: tooBig, signature: 'AAAA' }, caller)).rejects.toMatchObject({ status: 400 });
    expect(keys.encryptionKey).not.toHaveBeenCalled();
    expect(keys.signingKey).not.toHaveBeenCalled();
    expect(metrics.cryptoOperation).toHaveBeenCalledWith('encrypt', false);
  });
});
