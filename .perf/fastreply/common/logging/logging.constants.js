"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ROOT_LOGGER = void 0;
/** Injection token of the app's root pino logger. */
exports.ROOT_LOGGER = Symbol('ROOT_LOGGER');
//# sourceMappingURL=logging.constants.js.map