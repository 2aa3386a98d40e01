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
__exportStar(require("./common.module"), exports);
__exportStar(require("./decorators/api-error-responses.decorator"), exports);
__exportStar(require("./decorators/public.decorator"), exports);
__exportStar(require("./dto/error-envelope.dto"), exports);
__exportStar(require("./errors"), exports);
__exportStar(require("./http/fallback.module"), exports);
__exportStar(require("./http/request-context"), exports);
__exportStar(require("./http/route-table"), exports);
__exportStar(require("./logging/logger.factory"), exports);
__exportStar(require("./logging/logging.constants"), exports);
__exportStar(require("./logging/logging.module"), exports);
__exportStar(require("./logging/redact"), exports);
__exportStar(require("./middleware/request-id.middleware"), exports);
__exportStar(require("./http/error-responder"), exports);
__exportStar(require("./middleware/access-log.middleware"), exports);
__exportStar(require("./middleware/error-handler.middleware"), exports);
__exportStar(require("./middleware/json-body.middleware"), exports);
__exportStar(require("./middleware/security-headers.middleware"), exports);
__exportStar(require("./decorators/metrics-route.decorator"), exports);
//# sourceMappingURL=index.js.map