import type { Middleware } from 'openapi-fetch';

/** The parts of an OpenAPI 3.0 schema object the service's document uses in its responses. */
interface SchemaObject {
  $ref?: string;
  type?: 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object';
  nullable?: boolean;
  enum?: unknown[];
  oneOf?: SchemaObject[];
  properties?: Record<string, SchemaObject>;
  required?: string[];
  items?: SchemaObject;
}

interface ResponseObject {
  content?: Record<string, { schema?: SchemaObject }>;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, { responses?: Record<string, ResponseObject> }>>;
  components: { schemas: Record<string, SchemaObject> };
}

/** The entry `key` of `record` when it is an own entry (a name such as `constructor` reads as absent). */
function ownEntry<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  // eslint-disable-next-line security/detect-object-injection -- read only when `key` is an own entry (checked first)
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}

function resolve(document: OpenApiDocument, schema: SchemaObject): SchemaObject {
  if (schema.$ref === undefined) return schema;
  const name = schema.$ref.replace('#/components/schemas/', '');
  const target = ownEntry(document.components.schemas, name);
  if (target === undefined) throw new Error(`unresolvable ${schema.$ref}`);
  return target;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/**
 * Where `value` departs from `schema`: wrong types, missing required properties, values outside
 * an enum and properties the schema does not declare (an object schema without `properties`
 * admits any object). Empty when it conforms.
 */
export function schemaProblems(document: OpenApiDocument, raw: SchemaObject, value: unknown, at = '$'): string[] {
  const schema = resolve(document, raw);
  if (value === null) return schema.nullable ? [] : [`${at}: null where the schema does not allow it`];
  if (schema.oneOf) {
    const matching = schema.oneOf.filter((option) => schemaProblems(document, option, value, at).length === 0);
    return matching.length === 1 ? [] : [`${at}: matches ${matching.length} of the ${schema.oneOf.length} oneOf schemas`];
  }
  const actual = typeOf(value);
  if (schema.type !== undefined && actual !== schema.type && !(schema.type === 'number' && actual === 'integer')) {
    return [`${at}: ${actual} where the schema says ${schema.type}`];
  }
  if (schema.enum && !schema.enum.includes(value)) return [`${at}: ${JSON.stringify(value)} is not in the enum`];
  if (Array.isArray(value)) {
    const items = schema.items;
    return items ? value.flatMap((item, i) => schemaProblems(document, items, item, `${at}[${i}]`)) : [];
  }
  if (actual !== 'object' || schema.properties === undefined) return [];
  const record = new Map(Object.entries(value as Record<string, unknown>));
  const properties = new Map(Object.entries(schema.properties));
  return [
    ...(schema.required ?? []).filter((name) => !record.has(name)).map((name) => `${at}.${name}: required, missing`),
    ...[...record.keys()].filter((name) => !properties.has(name)).map((name) => `${at}.${name}: not in the schema`),
    ...[...record].flatMap(([name, item]) => {
      const property = properties.get(name);
      return property === undefined ? [] : schemaProblems(document, property, item, `${at}.${name}`);
    }),
  ];
}

/**
 * An openapi-fetch middleware that fails the call (the client's promise rejects) when the answer
 * is not what the document declares for the route: an undocumented status, or a JSON body that
 * does not conform to the declared schema.
 */
export function conformsTo(document: OpenApiDocument): Middleware {
  return {
    async onResponse({ request, response, schemaPath }) {
      const route = `${request.method} ${schemaPath} → ${response.status}`;
      const operation = ownEntry(ownEntry(document.paths, schemaPath), request.method.toLowerCase());
      const declared = ownEntry(operation?.responses, String(response.status));
      if (declared === undefined) throw new Error(`${route}: not declared in openapi.json`);
      const schema = declared.content?.['application/json']?.schema;
      const text = await response.clone().text();
      if (schema === undefined) {
        if (text !== '') throw new Error(`${route}: a body where openapi.json declares none`);
        return undefined;
      }
      const problems = schemaProblems(document, schema, JSON.parse(text));
      if (problems.length > 0) throw new Error(`${route}: the body does not match openapi.json:\n${problems.join('\n')}`);
      return undefined;
    },
  };
}
