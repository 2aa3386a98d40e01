"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ED25519_SIGNATURE_BYTES = exports.ED25519_PUBLIC_BYTES = exports.ED25519_SEED_BYTES = void 0;
exports.generateEd25519KeyPair = generateEd25519KeyPair;
exports.ed25519KeyPairFromSeed = ed25519KeyPairFromSeed;
exports.ed25519PublicKeyFromRaw = ed25519PublicKeyFromRaw;
exports.ed25519Sign = ed25519Sign;
exports.ed25519Verify = ed25519Verify;
const node_crypto_1 = require("node:crypto");
/**
 * Ed25519 (RFC 8032, pure) through OpenSSL. Keys travel as raw bytes: the 32-byte private seed and
 * the 32-byte public key; signatures are R ‖ S (64 bytes). OpenSSL rejects S ≥ L and invalid
 * point encodings, so verification is strict without hand-written curve code.
 */
exports.ED25519_SEED_BYTES = 32;
exports.ED25519_PUBLIC_BYTES = 32;
exports.ED25519_SIGNATURE_BYTES = 64;
// DER wrappers for raw keys (OID 1.3.101.112): PKCS#8 for the seed, SPKI for the public key.
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
function generateEd25519KeyPair() {
    const { privateKey, publicKey } = (0, node_crypto_1.generateKeyPairSync)('ed25519');
    return {
        privateKey,
        publicKey,
        seed: privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(PKCS8_PREFIX.length),
        publicRaw: publicKey.export({ format: 'der', type: 'spki' }).subarray(SPKI_PREFIX.length),
    };
}
/** Rebuilds the pair from its private seed (the only part the key store keeps secret). */
function ed25519KeyPairFromSeed(seed) {
    if (seed.length !== exports.ED25519_SEED_BYTES)
        throw new RangeError(`Ed25519 seeds are ${exports.ED25519_SEED_BYTES} bytes`);
    const privateKey = (0, node_crypto_1.createPrivateKey)({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
    const publicKey = (0, node_crypto_1.createPublicKey)(privateKey);
    return {
        privateKey,
        publicKey,
        seed: Buffer.from(seed),
        publicRaw: publicKey.export({ format: 'der', type: 'spki' }).subarray(SPKI_PREFIX.length),
    };
}
/** A public key object from 32 raw bytes, or undefined when the bytes are not a usable key. */
function ed25519PublicKeyFromRaw(raw) {
    if (raw.length !== exports.ED25519_PUBLIC_BYTES)
        return undefined;
    try {
        return (0, node_crypto_1.createPublicKey)({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
    }
    catch {
        return undefined;
    }
}
function ed25519Sign(privateKey, message) {
    return (0, node_crypto_1.sign)(null, message, privateKey);
}
/** False for any malformed input (wrong lengths, S ≥ L, not a point) instead of throwing. */
function ed25519Verify(publicKey, message, signature) {
    if (signature.length !== exports.ED25519_SIGNATURE_BYTES)
        return false;
    try {
        return (0, node_crypto_1.verify)(null, message, publicKey, signature);
    }
    catch {
        return false;
    }
}
//# sourceMappingURL=ed25519.js.map