"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.WeakSharedSecretError = exports.ECDH_HKDF_INFO_PREFIX = exports.X25519_KEY_BYTES = void 0;
exports.generateX25519KeyPair = generateX25519KeyPair;
exports.x25519KeyPairFromPrivate = x25519KeyPairFromPrivate;
exports.x25519PublicKeyFromRaw = x25519PublicKeyFromRaw;
exports.x25519SharedSecret = x25519SharedSecret;
exports.deriveEcdhKey = deriveEcdhKey;
const node_crypto_1 = require("node:crypto");
/**
 * X25519 key agreement (RFC 7748) and the HKDF-SHA256 step that turns a shared secret into a
 * 32-byte key. OpenSSL clamps the scalar and ignores the top bit of the peer's u-coordinate, as the
 * RFC requires (the previous service's hand-written code did not mask it).
 */
exports.X25519_KEY_BYTES = 32;
exports.ECDH_HKDF_INFO_PREFIX = 'MFN-ECDH-v1';
const PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b656e032100', 'hex');
/** The agreement produced the all-zero secret: the peer sent a small-order point. */
class WeakSharedSecretError extends Error {
    constructor() {
        super('key agreement produced an all-zero shared secret');
        this.name = 'WeakSharedSecretError';
    }
}
exports.WeakSharedSecretError = WeakSharedSecretError;
function generateX25519KeyPair() {
    const { privateKey, publicKey } = (0, node_crypto_1.generateKeyPairSync)('x25519');
    return {
        privateKey,
        publicKey,
        privateRaw: privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(PKCS8_PREFIX.length),
        publicRaw: publicKey.export({ format: 'der', type: 'spki' }).subarray(SPKI_PREFIX.length),
    };
}
function x25519KeyPairFromPrivate(privateRaw) {
    if (privateRaw.length !== exports.X25519_KEY_BYTES)
        throw new RangeError(`X25519 keys are ${exports.X25519_KEY_BYTES} bytes`);
    const privateKey = (0, node_crypto_1.createPrivateKey)({ key: Buffer.concat([PKCS8_PREFIX, privateRaw]), format: 'der', type: 'pkcs8' });
    const publicKey = (0, node_crypto_1.createPublicKey)(privateKey);
    return {
        privateKey,
        publicKey,
        privateRaw: Buffer.from(privateRaw),
        publicRaw: publicKey.export({ format: 'der', type: 'spki' }).subarray(SPKI_PREFIX.length),
    };
}
function x25519PublicKeyFromRaw(raw) {
    if (raw.length !== exports.X25519_KEY_BYTES)
        throw new RangeError(`X25519 public keys are ${exports.X25519_KEY_BYTES} bytes`);
    return (0, node_crypto_1.createPublicKey)({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
}
/** X25519(private, peer); refuses the all-zero result (RFC 7748 §6.1). */
function x25519SharedSecret(privateKey, peerPublicRaw) {
    const publicKey = x25519PublicKeyFromRaw(peerPublicRaw);
    let shared;
    try {
        shared = (0, node_crypto_1.diffieHellman)({ privateKey, publicKey });
    }
    catch {
        // OpenSSL itself refuses an all-zero result; report it the same way.
        throw new WeakSharedSecretError();
    }
    if (shared.every((b) => b === 0))
        throw new WeakSharedSecretError();
    return shared;
}
/** HKDF-SHA256(shared, salt = 32 zero bytes, info = "MFN-ECDH-v1" ‖ context, 32 bytes). */
function deriveEcdhKey(sharedSecret, context = Buffer.alloc(0)) {
    const info = Buffer.concat([Buffer.from(exports.ECDH_HKDF_INFO_PREFIX, 'ascii'), context]);
    return Buffer.from((0, node_crypto_1.hkdfSync)('sha256', sharedSecret, Buffer.alloc(32), info, 32));
}
//# sourceMappingURL=x25519.js.map