"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.BoundedCache = void 0;
/** A small LRU map: the least recently used entry goes when the size limit is reached. */
class BoundedCache {
    maxEntries;
    entries = new Map();
    constructor(maxEntries) {
        this.maxEntries = maxEntries;
    }
    get(key) {
        const value = this.entries.get(key);
        if (value !== undefined) {
            this.entries.delete(key);
            this.entries.set(key, value);
        }
        return value;
    }
    set(key, value) {
        this.entries.delete(key);
        this.entries.set(key, value);
        if (this.entries.size > this.maxEntries) {
            const oldest = this.entries.keys().next().value;
            this.entries.delete(oldest);
        }
    }
    delete(key) {
        this.entries.delete(key);
    }
    get size() {
        return this.entries.size;
    }
}
exports.BoundedCache = BoundedCache;
//# sourceMappingURL=bounded-cache.js.map