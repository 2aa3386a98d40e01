import { HttpStatus } from '@nestjs/common';
import { AppException, ErrorCode } from '../common';
import type { KeyRef } from './keys/key-types';

/**
 * A key record that failed its integrity check (altered in the store, copied under another name,
 * or a version that does not unwrap). Answered 500 CRYPTO_ERROR and audited at ERROR; the record
 * is never used.
 */
export class KeyIntegrityError extends AppException {
  constructor(
    readonly ref: KeyRef,
    readonly reason: string,
  ) {
    super(ErrorCode.CRYPTO_ERROR, 'Key record failed its integrity check and was not used', HttpStatus.INTERNAL_SERVER_ERROR);
  }
}

const conflict = (message: string) => new AppException(ErrorCode.CONFLICT, message, HttpStatus.CONFLICT);

/**
 * The crypto module's client-facing errors. Messages are fixed texts: they never carry key
 * material, plaintext or library error text, and decryption failures do not say which check
 * failed (no oracle for tampering).
 */
export const CryptoErrors = {
  disabled: () => AppException.unavailable('Cryptographic operations are disabled'),

  keyNotFound: (id: string) => AppException.notFound(`Key '${id}' not found`),

  wrongKeyType: (id: string, wanted: string) => AppException.notFound(`Key '${id}' is not ${wanted} key`),

  keyExists: (id: string) => conflict(`Key '${id}' already exists`),

  grantNotFound: (tenant: string, id: string) => AppException.notFound(`Tenant '${tenant}' holds no grant on key '${id}'`),

  quotaExceeded: (max: number) => conflict(`Key limit reached: at most ${max} keys per tenant`),

  versionQuotaExceeded: (max: number) =>
    conflict(`Version limit reached: at most ${max} stored key versions per tenant; trim or delete old keys`),

  versionCapReached: (id: string, max: number) =>
    conflict(`Key '${id}' holds the maximum of ${max} versions; trim versions below min_decryption_version first`),

  deletionNotAllowed: (id: string) =>
    conflict(`Key '${id}' cannot be deleted: set deletion_allowed to true in its config first`),

  contended: () => AppException.unavailable('Key update is contended; retry', 1),

  keyVersionOutOfRange: (low: number, latest: number) =>
    AppException.badRequest(low === latest ? `key_version must be ${latest} (the latest version)` : `key_version must be between ${low} and ${latest}`),

  unversioned: (field: 'ciphertext' | 'signature' | 'hmac') =>
    AppException.badRequest(`${field} must carry its key version prefix (mfn:v<N>:<base64>)`),

  tenantRequiresKeyId: () => AppException.badRequest('key_id is required when tenant names another tenant'),

  tenantNotAllowed: () =>
    new AppException(ErrorCode.FORBIDDEN, 'Only a keys-admin key may act on another tenant', HttpStatus.FORBIDDEN),

  adminSelfGrant: () =>
    new AppException(ErrorCode.FORBIDDEN, "keys-admin cannot grant its own tenant operations on another tenant's key", HttpStatus.FORBIDDEN),

  decryptionFailed: (message = 'Decryption failed') => AppException.badRequest(message, ErrorCode.DECRYPTION_FAILED),

  noDecryptionKey: () => AppException.badRequest('No encryption key available for decryption', ErrorCode.DECRYPTION_FAILED),

  noVerificationKey: () =>
    AppException.badRequest('No public key provided and no key_id matches stored keys', ErrorCode.VERIFICATION_FAILED),

  tooLarge: (what: 'Plaintext' | 'Message', max: number) =>
    AppException.badRequest(`${what} exceeds maximum size of ${max} bytes`),

  versionOutOfRange: (latest: number) =>
    AppException.badRequest(`min_decryption_version must be between 1 and the latest version (${latest})`),

  configOutOfRange: (message: string) => AppException.badRequest(message),

  invalidPeerKey: () => AppException.badRequest('peer_public_key must be a raw 32-byte X25519 public key'),

  lowOrderPeerKey: () =>
    AppException.badRequest('peer_public_key is a low-order point (the shared secret would be all zeros) and is refused'),

  versionUnavailable: (id: string, version: number) =>
    AppException.badRequest(`Key '${id}' version ${version} is retired, trimmed or not yet made`),

  storeUnavailable: () => AppException.unavailable('Key store unavailable', 1),

  masterKeyMismatch: () => AppException.unavailable('Key store cannot be read with the configured master key'),

  keyMaterialUnreadable: () =>
    new AppException(ErrorCode.CRYPTO_ERROR, 'Key material could not be read', HttpStatus.INTERNAL_SERVER_ERROR),
};
