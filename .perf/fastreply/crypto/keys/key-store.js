"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.KeyStoreUnavailableError = void 0;
/** The store could not be reached (Redis down or timing out). */
class KeyStoreUnavailableError extends Error {
    causeName;
    constructor(causeName) {
        super('key store unavailable');
        this.causeName = causeName;
        this.name = 'KeyStoreUnavailableError';
    }
}
exports.KeyStoreUnavailableError = KeyStoreUnavailableError;
//# sourceMappingURL=key-store.js.map