/**
 * class-transformer `@Transform` functions that depend on the value alone. The compiled DTO
 * accept test (compiled-dto.ts) applies these itself, exactly as class-transformer would; a DTO
 * with any other transform always takes the full validation path.
 */

/** JSON `null` in an optional field means "absent" (the value becomes undefined). */
export const nullAsAbsent = ({ value }: { value: unknown }): unknown => (value === null ? undefined : value);

export const VALUE_TRANSFORMS: ReadonlySet<unknown> = new Set<unknown>([nullAsAbsent]);
