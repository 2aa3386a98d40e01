"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata = (this && this.__metadata) || function (k, v) {
    if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.CryptoService = void 0;
const common_1 = require("@nestjs/common");
const audit_service_1 = require("../audit/audit.service");
const common_2 = require("../common");
const config_1 = require("../config");
const metrics_service_1 = require("../metrics/metrics.service");
const caller_1 = require("./caller");
const crypto_errors_1 = require("./crypto.errors");
const validators_1 = require("./dto/validators");
const key_manager_service_1 = require("./keys/key-manager.service");
const key_types_1 = require("./keys/key-types");
const versioned_value_1 = require("./keys/versioned-value");
const aes_gcm_1 = require("./primitives/aes-gcm");
const base64_1 = require("./primitives/base64");
const ed25519_1 = require("./primitives/ed25519");
/** Algorithm reported before the key is known; key operations replace it with the key's type. */
const ALGORITHM = {
    encrypt: 'AES-256-GCM',
    decrypt: 'AES-256-GCM',
    sign: 'Ed25519',
    verify: 'Ed25519',
    keypair: 'Ed25519',
    key_create: 'unknown',
    key_rotate: 'unknown',
    key_config: 'unknown',
};
/** Bytes of a field the DTO already checked to be strict base64. */
function decoded(value) {
    return value === undefined ? undefined : Buffer.from(value, 'base64');
}
/**
 * The crypto API: AES-256-GCM encrypt/decrypt, Ed25519 sign/verify and key pairs over the key
 * manager, plus key creation, rotation and min_decryption_version. Every operation counts in
 * mfn_crypto_operations_total and, with MFN_CRYPTO_AUDIT_LOG, leaves an audit event with its key id,
 * algorithm and outcome; key lifecycle events and failed decryptions are always audited.
 */
let CryptoService = class CryptoService {
    config;
    keys;
    audit;
    metrics;
    constructor(config, keys, audit, metrics) {
        this.config = config;
        this.keys = keys;
        this.audit = audit;
        this.metrics = metrics;
    }
    encrypt(dto, caller) {
        return this.run('encrypt', caller, dto.key_id, async (trace) => {
            const plaintext = decoded(dto.plaintext);
            if (plaintext.length > validators_1.MAX_DECODED_BYTES)
                throw crypto_errors_1.CryptoErrors.tooLarge('Plaintext', validators_1.MAX_DECODED_BYTES);
            const key = await this.keys.encryptionKey(dto.key_id);
            this.noteResolved(trace, key, caller);
            const sealed = (0, aes_gcm_1.aesGcmSeal)(key.material.secretKey, plaintext, decoded(dto.associated_data));
            return {
                ciphertext: (0, versioned_value_1.formatVersioned)(key.version, sealed.toString('base64')),
                key_id: key.id,
                key_version: key.version,
                algorithm: 'AES-256-GCM',
            };
        });
    }
    decrypt(dto, caller) {
        return this.run('decrypt', caller, dto.key_id, async (trace) => {
            const parsed = (0, versioned_value_1.parseVersioned)(dto.ciphertext);
            const sealed = (0, base64_1.decodeStrictBase64)(parsed.payload);
            const wellFormed = sealed !== undefined && sealed.length >= aes_gcm_1.GCM_MIN_SEALED_BYTES && (parsed.version !== undefined || !(0, versioned_value_1.looksVersioned)(dto.ciphertext));
            trace.keyVersion = parsed.version;
            const { id, keys } = await this.keys.decryptionKeys(dto.key_id, parsed.version);
            trace.keyId = id;
            if (wellFormed) {
                const aad = decoded(dto.associated_data);
                for (const key of keys) {
                    try {
                        const plaintext = (0, aes_gcm_1.aesGcmOpen)(key.material.secretKey, sealed, aad);
                        trace.keyVersion = key.version;
                        return { plaintext: plaintext.toString('base64'), key_id: id, key_version: key.version };
                    }
                    catch (err) {
                        if (!(err instanceof aes_gcm_1.AuthenticationFailedError))
                            throw err;
                    }
                }
            }
            throw crypto_errors_1.CryptoErrors.decryptionFailed();
        });
    }
    sign(dto, caller) {
        return this.run('sign', caller, dto.key_id, async (trace) => {
            const message = decoded(dto.message);
            if (message.length > validators_1.MAX_DECODED_BYTES)
                throw crypto_errors_1.CryptoErrors.tooLarge('Message', validators_1.MAX_DECODED_BYTES);
            const key = await this.keys.signingKey(dto.key_id);
            this.noteResolved(trace, key, caller);
            const signature = (0, ed25519_1.ed25519Sign)(key.material.privateKey, message);
            return {
                signature: (0, versioned_value_1.formatVersioned)(key.version, signature.toString('base64')),
                key_id: key.id,
                key_version: key.version,
                algorithm: 'Ed25519',
            };
        });
    }
    /**
     * Anything that is not a well-formed signature or public key (not base64, wrong length, S ≥ L,
     * not a curve point, unknown or retired version) verifies as false rather than failing.
     */
    verify(dto, caller) {
        return this.run('verify', caller, dto.key_id, async (trace) => {
            const message = decoded(dto.message);
            if (message.length > validators_1.MAX_DECODED_BYTES)
                throw crypto_errors_1.CryptoErrors.tooLarge('Message', validators_1.MAX_DECODED_BYTES);
            const parsed = (0, versioned_value_1.parseVersioned)(dto.signature);
            const malformedPrefix = parsed.version === undefined && (0, versioned_value_1.looksVersioned)(dto.signature);
            const signature = malformedPrefix ? undefined : (0, base64_1.decodeStrictBase64)(parsed.payload);
            if (dto.public_key !== undefined && dto.public_key !== '') {
                trace.keyId = 'external';
                const raw = (0, base64_1.decodeStrictBase64)(dto.public_key);
                const publicKey = raw ? (0, ed25519_1.ed25519PublicKeyFromRaw)(raw) : undefined;
                const valid = publicKey !== undefined && signature !== undefined && (0, ed25519_1.ed25519Verify)(publicKey, message, signature);
                trace.details = { valid };
                return { valid, key_id: dto.key_id ?? null, algorithm: 'Ed25519' };
            }
            const resolved = await this.keys.verificationKeys(dto.key_id, parsed.version);
            if (!resolved)
                throw crypto_errors_1.CryptoErrors.noVerificationKey();
            trace.keyId = resolved.id;
            trace.keyVersion = parsed.version;
            let valid = false;
            if (signature !== undefined) {
                const match = resolved.keys.find((k) => (0, ed25519_1.ed25519Verify)(k.material.publicKey, message, signature));
                if (match) {
                    valid = true;
                    trace.keyVersion = match.version;
                }
            }
            trace.details = { valid };
            return { valid, key_id: resolved.id, algorithm: 'Ed25519' };
        });
    }
    /** Ed25519 pairs join the signing keys (default signer if none yet); ECDH makes an X25519 pair. */
    keypair(dto, caller) {
        const type = dto.algorithm === 'ECDH' ? key_types_1.KeyType.X25519 : key_types_1.KeyType.ED25519;
        return this.run('keypair', caller, dto.key_id, async (trace) => {
            trace.algorithm = type;
            const created = await this.keys.createKey(type, {
                id: dto.key_id,
                owner: (0, caller_1.ownerOf)(caller),
                defaultRole: type === key_types_1.KeyType.ED25519 ? 'signing' : undefined,
            });
            trace.keyId = created.id;
            trace.keyVersion = 1;
            this.auditKeyEvent('key_created', caller, created.id, { type, version: 1 });
            return { key_id: created.id, public_key: created.material.publicKeyBase64, algorithm: dto.algorithm, key_version: 1 };
        });
    }
    createKey(dto, caller) {
        return this.run('key_create', caller, dto.key_id, async (trace) => {
            trace.algorithm = dto.type;
            const created = await this.keys.createKey(dto.type, { id: dto.key_id, owner: (0, caller_1.ownerOf)(caller) });
            trace.keyId = created.id;
            trace.keyVersion = 1;
            this.auditKeyEvent('key_created', caller, created.id, { type: dto.type, version: 1 });
            return this.keys.describe(created.id);
        });
    }
    rotate(keyId, caller) {
        return this.run('key_rotate', caller, keyId, async (trace) => {
            const description = await this.keys.rotate(keyId);
            trace.algorithm = description.type;
            trace.keyVersion = description.latest_version;
            this.auditKeyEvent('key_rotated', caller, keyId, { type: description.type, version: description.latest_version });
            return description;
        });
    }
    configure(keyId, minDecryptionVersion, caller) {
        return this.run('key_config', caller, keyId, async (trace) => {
            const description = await this.keys.setMinDecryptionVersion(keyId, minDecryptionVersion);
            trace.algorithm = description.type;
            this.auditKeyEvent('key_config_updated', caller, keyId, { min_decryption_version: minDecryptionVersion });
            return description;
        });
    }
    describe(keyId) {
        return this.keys.describe(keyId);
    }
    // ---- bookkeeping ------------------------------------------------------------------------
    async run(operation, caller, keyId, body) {
        const trace = { keyId: keyId ?? 'unknown', algorithm: ALGORITHM[operation] };
        try {
            const result = await body(trace);
            this.metrics.cryptoOperation(operation, true);
            if (this.config.crypto.auditLog)
                this.auditOperation(operation, caller, trace);
            return result;
        }
        catch (err) {
            this.metrics.cryptoOperation(operation, false);
            const error = err instanceof common_2.AppException ? err.code : 'INTERNAL_ERROR';
            if (this.config.crypto.auditLog)
                this.auditOperation(operation, caller, trace, error);
            if (operation === 'decrypt' && error !== 'INTERNAL_ERROR') {
                this.audit.recordForRequest(caller.req, {
                    action: 'decryption_failed',
                    category: 'security',
                    severity: 'WARNING',
                    success: false,
                    userId: caller.userId,
                    details: { key_id: trace.keyId, key_version: trace.keyVersion, error },
                });
            }
            throw err;
        }
    }
    auditOperation(operation, caller, trace, error) {
        const details = { operation, key_id: trace.keyId, algorithm: trace.algorithm, success: error === undefined };
        if (trace.keyVersion !== undefined)
            details.key_version = trace.keyVersion;
        if (error !== undefined)
            details.error = error;
        if (trace.details)
            Object.assign(details, trace.details);
        this.audit.recordForRequest(caller.req, {
            action: 'crypto_operation',
            category: 'data_access',
            severity: error === undefined ? 'INFO' : 'WARNING',
            success: error === undefined,
            userId: caller.userId,
            details,
        });
    }
    noteResolved(trace, key, caller) {
        trace.keyId = key.id;
        trace.keyVersion = key.version;
        if (key.createdDefault) {
            this.auditKeyEvent('key_created', caller, key.id, { type: key.material.type, version: 1, default: true });
        }
    }
    auditKeyEvent(action, caller, keyId, details) {
        this.audit.recordForRequest(caller.req, {
            action,
            category: 'configuration',
            severity: 'INFO',
            success: true,
            userId: caller.userId,
            details: { key_id: keyId, ...details },
        });
    }
};
exports.CryptoService = CryptoService;
exports.CryptoService = CryptoService = __decorate([
    (0, common_1.Injectable)(),
    __metadata("design:paramtypes", [config_1.AppConfig,
        key_manager_service_1.KeyManager,
        audit_service_1.AuditService,
        metrics_service_1.MetricsService])
], CryptoService);
//# sourceMappingURL=crypto.service.js.map