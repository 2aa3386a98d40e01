import { ApiErrorResponse, StandardErrors } from '../common';
import { DEFAULT_CRYPTO_QUOTAS } from '../config/app-config';
import { Role } from '../auth/roles';
import { CryptoErrors } from './crypto.errors';
import { EXAMPLE_KEY_ID } from './dto/fields';

/**
 * The crypto routes' own errors as the API documentation shows them: made by CryptoErrors
 * itself (quotas at their defaults), so the examples follow the code (see ApiErrorResponses).
 */
export const CryptoApiErrors = {
  keyNotFound: () => CryptoErrors.keyNotFound(EXAMPLE_KEY_ID),
  keyExists: () => CryptoErrors.keyExists(EXAMPLE_KEY_ID),
  keyQuota: () => CryptoErrors.quotaExceeded(DEFAULT_CRYPTO_QUOTAS.keysPerTenant),
  versionCap: () => CryptoErrors.versionCapReached(EXAMPLE_KEY_ID, DEFAULT_CRYPTO_QUOTAS.versionsPerKey),
  versionQuota: () => CryptoErrors.versionQuotaExceeded(DEFAULT_CRYPTO_QUOTAS.versionsPerTenant),
  deletionNotAllowed: () => CryptoErrors.deletionNotAllowed(EXAMPLE_KEY_ID),
  decryptionFailed: () => CryptoErrors.decryptionFailed(),
  unversionedCiphertext: () => CryptoErrors.unversioned('ciphertext'),
  noVerificationKey: () => CryptoErrors.noVerificationKey(),
  invalidPeerKey: () => CryptoErrors.invalidPeerKey(),
  /** A keys route refuses a key without the role, and a tenant other than the caller's without keys-admin. */
  keysForbidden: () => [StandardErrors.roleRequired([Role.KEYS]), CryptoErrors.tenantNotAllowed()],
};

/** The 503 of every crypto route: crypto switched off, or the key store out of reach. */
export function CryptoUnavailableResponse(): MethodDecorator & ClassDecorator {
  return ApiErrorResponse({
    errors: [CryptoErrors.disabled(), CryptoErrors.storeUnavailable()],
    description: 'Crypto disabled or key store unavailable',
  });
}
