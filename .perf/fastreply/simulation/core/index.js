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
/** The numerical core: plain functions over numbers and typed arrays, no framework imports. */
__exportStar(require("./adam"), exports);
__exportStar(require("./box-counting"), exports);
__exportStar(require("./constants"), exports);
__exportStar(require("./field-simulation"), exports);
__exportStar(require("./field-summary"), exports);
__exportStar(require("./ifs"), exports);
__exportStar(require("./krum"), exports);
__exportStar(require("./linear"), exports);
__exportStar(require("./lyapunov"), exports);
__exportStar(require("./nernst"), exports);
__exportStar(require("./network"), exports);
__exportStar(require("./prng"), exports);
__exportStar(require("./simulation-run"), exports);
__exportStar(require("./sparse-attention"), exports);
__exportStar(require("./stdp"), exports);
__exportStar(require("./validation-cycle"), exports);
//# sourceMappingURL=index.js.map