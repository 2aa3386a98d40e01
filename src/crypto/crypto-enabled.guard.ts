import { CanActivate, Injectable } from '@nestjs/common';
import { AppConfig } from '../config';
import { CryptoErrors } from './crypto.errors';

/**
 * MFN_CRYPTO_ENABLED=false answers 503 on every crypto route. A guard runs before pipes, so the
 * answer does not depend on the body being valid.
 */
@Injectable()
export class CryptoEnabledGuard implements CanActivate {
  constructor(private readonly config: AppConfig) {}

  canActivate(): boolean {
    if (!this.config.crypto.enabled) throw CryptoErrors.disabled();
    return true;
  }
}
