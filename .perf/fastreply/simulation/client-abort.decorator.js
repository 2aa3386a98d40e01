"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ComputeRequest = void 0;
exports.clientAbortSignal = clientAbortSignal;
const common_1 = require("@nestjs/common");
const common_2 = require("../common");
const compute_pool_service_1 = require("./compute-pool.service");
/**
 * An AbortSignal that fires when the client goes away before the response is complete. It
 * listens on the response's 'close' (req 'close' also fires once the body has been read, so it
 * cannot tell a disconnect from a normal request on Node 20). For the same reason a destroyed
 * request stream is not a sign of disconnect: Node destroys it once its body has been read.
 */
function clientAbortSignal(req, res) {
    const controller = new AbortController();
    if (res.destroyed || req.socket?.destroyed) {
        controller.abort(new compute_pool_service_1.ClientDisconnectedError());
        return controller.signal;
    }
    res.once('close', () => {
        if (!res.writableFinished)
            controller.abort(new compute_pool_service_1.ClientDisconnectedError());
    });
    return controller.signal;
}
/** Handler parameter: the request's disconnect signal and id, for ComputePoolService.run. */
exports.ComputeRequest = (0, common_1.createParamDecorator)((_data, ctx) => {
    const http = ctx.switchToHttp();
    const req = http.getRequest();
    return { signal: clientAbortSignal(req, http.getResponse()), requestId: (0, common_2.requestIdOf)(req) };
});
//# sourceMappingURL=client-abort.decorator.js.map