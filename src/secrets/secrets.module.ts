import { Global, Module } from '@nestjs/common';
import { SecretsService } from './secrets.service';

/** Owns every secret the service uses, behind one injectable SecretsService. */
@Global()
@Module({
  providers: [SecretsService],
  exports: [SecretsService],
})
export class SecretsModule {}
