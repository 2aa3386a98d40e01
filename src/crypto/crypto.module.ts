import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ReadinessModule } from '../health/readiness.module';
import { RedisModule } from '../redis/redis.module';
import { SecretsModule } from '../secrets/secrets.module';
import { CryptoActivity } from './crypto-activity';
import { CryptoEnabledGuard } from './crypto-enabled.guard';
import { CryptoController } from './crypto.controller';
import { CryptoService } from './crypto.service';
import { HmacController } from './hmac.controller';
import { HmacService } from './hmac.service';
import { KeyAdminService } from './key-admin.service';
import { KeyAgreementController } from './key-agreement.controller';
import { KeyAgreementService } from './key-agreement.service';
import { AutoRotation } from './keys/auto-rotation.service';
import { KEY_CLOCK, SYSTEM_CLOCK } from './keys/key-clock';
import { KeyLifecycle } from './keys/key-lifecycle.service';
import { KeyRecords } from './keys/key-records.service';
import { KeyResolver } from './keys/key-resolver.service';
import { keyStoreProvider } from './keys/key-store.provider';
import { KeysController } from './keys.controller';
import { SigningController } from './signing.controller';
import { SigningService } from './signing.service';

/**
 * Crypto as a service, per tenant: encrypt/decrypt, sign/verify, HMAC, X25519 derivation and key
 * pairs under /api, key lifecycle and policy under /api/keys, the versioned key store (KEY_STORE:
 * memory or Redis, every record sealed under MFN_MASTER_KEY), automatic rotation and the
 * node:crypto primitives.
 * The legacy encrypt_data/decrypt_data format lives in ./legacy as a library.
 */
@Module({
  imports: [SecretsModule, RedisModule, ReadinessModule, AuditModule],
  controllers: [CryptoController, SigningController, HmacController, KeyAgreementController, KeysController],
  providers: [
    keyStoreProvider,
    { provide: KEY_CLOCK, useValue: SYSTEM_CLOCK },
    KeyRecords,
    KeyResolver,
    KeyLifecycle,
    AutoRotation,
    CryptoActivity,
    CryptoService,
    SigningService,
    HmacService,
    KeyAgreementService,
    KeyAdminService,
    CryptoEnabledGuard,
  ],
  exports: [KeyRecords],
})
export class CryptoModule {}
