"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __exportStar = (this && this.__exportStar) || function(m, exports) {
    for (var p in m) if (p !== "default" && !Object.prototype.hasOwnProperty.call(exports, p)) __createBinding(exports, m, p);
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.unknownVariables = exports.processEnvironment = exports.loadConfig = exports.applyProcessDefaults = exports.SERVICE_VERSION = exports.ConfigValidationError = void 0;
__exportStar(require("./app-config"), exports);
__exportStar(require("./config.module"), exports);
var load_config_1 = require("./load-config");
Object.defineProperty(exports, "ConfigValidationError", { enumerable: true, get: function () { return load_config_1.ConfigValidationError; } });
Object.defineProperty(exports, "SERVICE_VERSION", { enumerable: true, get: function () { return load_config_1.SERVICE_VERSION; } });
Object.defineProperty(exports, "applyProcessDefaults", { enumerable: true, get: function () { return load_config_1.applyProcessDefaults; } });
Object.defineProperty(exports, "loadConfig", { enumerable: true, get: function () { return load_config_1.loadConfig; } });
Object.defineProperty(exports, "processEnvironment", { enumerable: true, get: function () { return load_config_1.processEnvironment; } });
Object.defineProperty(exports, "unknownVariables", { enumerable: true, get: function () { return load_config_1.unknownVariables; } });
//# sourceMappingURL=index.js.map