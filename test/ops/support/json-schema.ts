/**
 * A checker for the small JSON Schema subset the CRD fixtures use (type, enum, required,
 * properties, additionalProperties, items, minItems, minimum), for custom resources that have no
 * bundled offline model. Returns every problem as `path: message`; empty when the value fits.
 */
export interface SchemaNode {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  enum?: unknown[];
  required?: string[];
  properties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
  items?: SchemaNode;
  minItems?: number;
  minimum?: number;
}

const typeOf = (value: unknown): string => {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
};

export function schemaProblems(schema: SchemaNode, value: unknown, path = '$'): string[] {
  const actual = typeOf(value);
  if (schema.type && actual !== schema.type && !(schema.type === 'number' && actual === 'integer')) return [`${path}: must be ${schema.type}, is ${actual}`];
  const problems: string[] = [];
  if (schema.enum && !schema.enum.includes(value)) problems.push(`${path}: must be one of ${JSON.stringify(schema.enum)}`);
  if (schema.minimum !== undefined && typeof value === 'number' && value < schema.minimum) problems.push(`${path}: must be >= ${schema.minimum}`);
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) problems.push(`${path}: needs at least ${schema.minItems} items`);
    if (schema.items) value.forEach((item, i) => problems.push(...schemaProblems(schema.items!, item, `${path}[${i}]`)));
  }
  if (actual === 'object') {
    const record = value as Record<string, unknown>;
    for (const key of schema.required ?? []) if (!(key in record)) problems.push(`${path}: ${key} is required`);
    for (const [key, child] of Object.entries(record)) {
      const known = schema.properties ? Object.entries(schema.properties).find(([name]) => name === key)?.[1] : undefined;
      if (known) problems.push(...schemaProblems(known, child, `${path}.${key}`));
      else if (schema.additionalProperties === false) problems.push(`${path}: unknown field ${key}`);
      else if (typeof schema.additionalProperties === 'object') problems.push(...schemaProblems(schema.additionalProperties, child, `${path}.${key}`));
    }
  }
  return problems;
}
