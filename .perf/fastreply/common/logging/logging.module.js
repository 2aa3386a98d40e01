"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var LoggingModule_1;
Object.defineProperty(exports, "__esModule", { value: true });
exports.LoggingModule = void 0;
const common_1 = require("@nestjs/common");
const nestjs_pino_1 = require("nestjs-pino");
const request_context_1 = require("../http/request-context");
const logging_constants_1 = require("./logging.constants");
/**
 * Owns the app's pino logger, also behind Nest's own Logger (nestjs-pino). Lines about a request
 * carry its `request_id` explicitly (access log, audit events, error filter); access records are
 * written by the access-log middleware, once per request, so pino-http's request logging is off.
 *
 * nestjs-pino's per-request middleware (a child logger plus an AsyncLocalStorage scope around
 * every request) is not mounted: nothing injects a request-scoped PinoLogger, and the scope made
 * every promise of the request pipeline slower — about a fifth of the CPU of a guarded
 * POST /nernst. An injected PinoLogger still works; it writes through the root logger.
 */
let LoggingModule = LoggingModule_1 = class LoggingModule {
    static forRoot(root) {
        return {
            module: LoggingModule_1,
            imports: [
                nestjs_pino_1.LoggerModule.forRoot({
                    pinoHttp: {
                        logger: root.logger,
                        autoLogging: false,
                        quietReqLogger: true,
                        customAttributeKeys: { reqId: 'request_id' },
                        genReqId: (req) => (0, request_context_1.requestIdOf)(req),
                    },
                    renameContext: 'logger',
                    forRoutes: [],
                }),
            ],
            providers: [{ provide: logging_constants_1.ROOT_LOGGER, useValue: root.logger }],
            exports: [logging_constants_1.ROOT_LOGGER, nestjs_pino_1.LoggerModule],
        };
    }
};
exports.LoggingModule = LoggingModule;
exports.LoggingModule = LoggingModule = LoggingModule_1 = __decorate([
    (0, common_1.Global)(),
    (0, common_1.Module)({})
], LoggingModule);
//# sourceMappingURL=logging.module.js.map