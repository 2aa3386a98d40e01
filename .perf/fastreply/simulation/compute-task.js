"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.COMPUTE_HANDLER_NAME = void 0;
/** Name of the handler the worker module exports (piscina's `name` option). */
exports.COMPUTE_HANDLER_NAME = 'runComputeTask';
//# sourceMappingURL=compute-task.js.map