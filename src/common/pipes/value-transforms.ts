/** class-transformer `@Transform` functions shared by the DTOs. */

/** JSON `null` in an optional field means "absent" (the value becomes undefined). */
export const nullAsAbsent = ({ value }: { value: unknown }): unknown => (value === null ? undefined : value);

