import { Module } from '@nestjs/common';
import { CryptoEnabledGuard } from './crypto-enabled.guard';
import { CryptoController } from './crypto.controller';
import { CryptoService } from './crypto.service';
import { KeyManager } from './keys/key-manager.service';
import { KeysController } from './keys.controller';

/**
 * Crypto as a service: the /api/encrypt|decrypt|sign|verify|keypair endpoints, key lifecycle
 * under /api/keys, the versioned key store (memory or Redis, wrapped under MFN_MASTER_KEY) and the
 * node:crypto primitives. The legacy encrypt_data/decrypt_data format lives in ./legacy as a library.
 */
@Module({
  controllers: [CryptoController, KeysController],
  providers: [CryptoService, KeyManager, CryptoEnabledGuard],
  exports: [KeyManager],
})
export class CryptoModule {}
