"use strict";
/**
 * class-transformer `@Transform` functions that depend on the value alone. The compiled DTO
 * accept test (compiled-dto.ts) applies these itself, exactly as class-transformer would; a DTO
 * with any other transform always takes the full validation path.
 */
Object.defineProperty(exports, "__esModule", { value: true });
exports.VALUE_TRANSFORMS = exports.nullAsAbsent = void 0;
/** JSON `null` in an optional field means "absent" (the value becomes undefined). */
const nullAsAbsent = ({ value }) => (value === null ? undefined : value);
exports.nullAsAbsent = nullAsAbsent;
exports.VALUE_TRANSFORMS = new Set([exports.nullAsAbsent]);
//# sourceMappingURL=value-transforms.js.map