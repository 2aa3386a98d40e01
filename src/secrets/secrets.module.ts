import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AppConfig } from '../config';
import { ReadinessModule } from '../health/readiness.module';
import { createSecretsBackend } from './backends/create-secrets-backend';
import { SECRETS_BACKEND } from './backends/secrets-backend';
import { SecretsService } from './secrets.service';

/**
 * Owns every secret the service uses, behind one injectable SecretsService. The backend (env,
 * file, aws, vault) is chosen by MFN_SECRETS_BACKEND; nothing else reads secrets from the
 * environment or from files.
 */
@Module({
  imports: [ReadinessModule, AuditModule],
  providers: [{ provide: SECRETS_BACKEND, useFactory: createSecretsBackend, inject: [AppConfig] }, SecretsService],
  exports: [SecretsService],
})
export class SecretsModule {}
