import { HttpStatus } from '@nestjs/common';
import { AppException, ErrorCode } from '../common';

/**
 * The crypto module's client-facing errors. Messages are fixed texts: they never carry key
 * material, plaintext or library error text, and decryption failures do not say which check
 * failed (no oracle for tampering).
 */
export const CryptoErrors = {
  disabled: () => AppException.unavailable('Cryptographic operations are disabled'),

  keyNotFound: (id: string) => AppException.notFound(`Key '${id}' not found`),

  wrongKeyType: (id: string, wanted: string) => AppException.notFound(`Key '${id}' is not ${wanted} key`),

  keyExists: (id: string) =>
    new AppException(ErrorCode.INVALID_REQUEST, `Key '${id}' already exists`, HttpStatus.CONFLICT),

  quotaExceeded: (max: number) =>
    new AppException(
      ErrorCode.INVALID_REQUEST,
      `Key limit reached: at most ${max} keys per caller`,
      HttpStatus.CONFLICT,
    ),

  decryptionFailed: (message = 'Decryption failed') => AppException.badRequest(message, ErrorCode.DECRYPTION_FAILED),

  noDecryptionKey: () => AppException.badRequest('No encryption key available for decryption', ErrorCode.DECRYPTION_FAILED),

  noVerificationKey: () =>
    AppException.badRequest('No public key provided and no key_id matches stored keys', ErrorCode.VERIFICATION_FAILED),

  tooLarge: (what: 'Plaintext' | 'Message', max: number) =>
    AppException.badRequest(`${what} exceeds maximum size of ${max} bytes`),

  versionOutOfRange: (latest: number) =>
    AppException.badRequest(`min_decryption_version must be between 1 and the latest version (${latest})`),

  storeUnavailable: () => AppException.unavailable('Key store unavailable', 1),

  masterKeyMismatch: () => AppException.unavailable('Key store cannot be read with the configured master key'),

  keyMaterialUnreadable: () =>
    new AppException(ErrorCode.CRYPTO_ERROR, 'Key material could not be read', HttpStatus.INTERNAL_SERVER_ERROR),
};
