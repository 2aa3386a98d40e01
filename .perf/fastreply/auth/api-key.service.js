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
var __param = (this && this.__param) || function (paramIndex, decorator) {
    return function (target, key) { decorator(target, key, paramIndex); }
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.ApiKeyService = exports.ANONYMOUS_PRINCIPAL = exports.API_KEY_HEADER = void 0;
const common_1 = require("@nestjs/common");
const node_crypto_1 = require("node:crypto");
const common_2 = require("../common");
const request_context_1 = require("../common/http/request-context");
const config_1 = require("../config");
const secrets_service_1 = require("../secrets/secrets.service");
const api_key_entries_1 = require("./api-key-entries");
const roles_1 = require("./roles");
exports.API_KEY_HEADER = 'x-api-key';
const MISSING = Object.freeze({ status: 'missing' });
const INVALID = Object.freeze({ status: 'invalid' });
/** The caller when authentication is off: every role, no key. */
exports.ANONYMOUS_PRINCIPAL = Object.freeze({ id: 'anonymous', roles: roles_1.ALL_ROLES, authenticated: false });
function sha256(value) {
    // One-shot digest: no Hash object per request.
    return (0, node_crypto_1.hash)('sha256', Buffer.from(value, 'utf8'), 'buffer');
}
/**
 * The key ring: configured API keys (from the SecretsService) held only as SHA-256 digests with
 * their principal (id and roles). Rebuilt when the secrets change, so keys rotate without a
 * restart; a rebuilt set that breaks the start-up rules is refused and the previous one kept.
 *
 * A presented key is hashed once and compared with every stored digest by `timingSafeEqual`, with
 * no early exit: the time taken does not depend on which key matched, or on the key's length.
 * The result is cached on the request, so the rate limiter (which needs the caller's identity
 * before authentication runs) and the API-key guard share one hash.
 */
let ApiKeyService = class ApiKeyService {
    config;
    secrets;
    keys = [];
    unsubscribe;
    log;
    constructor(config, secrets, logger) {
        this.config = config;
        this.secrets = secrets;
        this.log = logger.child({ logger: 'mfn.auth' });
    }
    onModuleInit() {
        this.keys = this.load();
        this.log.info({ keys: this.keys.length, required: this.config.auth.required }, 'API keys loaded');
        this.unsubscribe = this.secrets.onChange(() => this.reload());
    }
    onModuleDestroy() {
        this.unsubscribe?.();
    }
    /** Number of usable keys. */
    get size() {
        return this.keys.length;
    }
    /** Re-reads the keys after a secrets refresh; a broken new set leaves the current one in force. */
    reload() {
        try {
            const next = this.load();
            this.keys = next;
            this.log.info({ keys: next.length }, 'API keys reloaded');
        }
        catch (err) {
            const reason = err instanceof api_key_entries_1.ApiKeyConfigError ? err.message : 'the key secrets could not be read';
            this.log.error({ reason }, 'API key reload refused; the previous keys stay in force');
        }
    }
    /** Checks the request's X-API-Key once; later calls for the same request return the same result. */
    checkRequest(req) {
        const state = (0, request_context_1.requestState)(req);
        let result = state.apiKeyCheck;
        if (result === undefined) {
            result = this.check(req.headers[exports.API_KEY_HEADER]);
            state.apiKeyCheck = result;
        }
        return result;
    }
    check(presented) {
        if (presented === undefined || presented === '')
            return MISSING;
        if (typeof presented !== 'string' || !(0, api_key_entries_1.isPresentableKey)(presented))
            return INVALID;
        const digest = sha256(presented);
        let match = INVALID;
        for (const stored of this.keys) {
            // Every digest is compared; the branch only records the first hit.
            if ((0, node_crypto_1.timingSafeEqual)(digest, stored.digest) && match === INVALID)
                match = stored.check;
        }
        return match;
    }
    load() {
        const entries = [];
        const single = this.secrets.getSecret('MFN_API_KEY');
        if (single !== undefined && single.trim() !== '')
            entries.push((0, api_key_entries_1.parseSingleKey)(single));
        entries.push(...this.loadList());
        const unique = (0, api_key_entries_1.dedupeEntries)(entries);
        (0, api_key_entries_1.checkKeyPolicy)(unique, { required: this.config.auth.required, prod: this.config.env === 'prod', env: this.config.env });
        return unique.map((e) => ({
            digest: sha256(e.key),
            check: Object.freeze({ status: 'valid', principal: Object.freeze({ id: e.id, roles: e.roles, authenticated: true }) }),
        }));
    }
    loadList() {
        const raw = this.secrets.getSecret('MFN_API_KEYS');
        if (raw === undefined || raw.trim() === '')
            return [];
        if (raw.trim().startsWith('{'))
            return (0, api_key_entries_1.parseKeyringObject)(raw.trim());
        let items;
        try {
            items = this.secrets.getList('MFN_API_KEYS');
        }
        catch {
            // Parser messages can quote the input; never let a key fragment reach the log.
            throw new api_key_entries_1.ApiKeyConfigError('MFN_API_KEYS could not be parsed as a key list (CSV, newline or JSON array)');
        }
        return items.map((item, i) => (0, api_key_entries_1.parseListEntry)(item, `MFN_API_KEYS entry ${i + 1}`));
    }
};
exports.ApiKeyService = ApiKeyService;
exports.ApiKeyService = ApiKeyService = __decorate([
    (0, common_1.Injectable)(),
    __param(2, (0, common_1.Inject)(common_2.ROOT_LOGGER)),
    __metadata("design:paramtypes", [config_1.AppConfig,
        secrets_service_1.SecretsService, Object])
], ApiKeyService);
//# sourceMappingURL=api-key.service.js.map