import { z } from 'zod';

/** A converted input schema, or why the tool cannot be offered. */
export type InputSchemaConversion = { ok: true; schema: z.ZodType } | { ok: false; reason: string };

// The JSON Schema subset MCP tools use, which zod enforces faithfully. Anything else (`allOf`,
// `not`, `if`, `patternProperties`...) could let unknown keys through or be silently ignored, so
// the tool is refused rather than offered with a weaker check.
const KEYWORDS = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'prefixItems',
  'enum',
  'const',
  'anyOf',
  'oneOf',
  '$ref',
  '$defs',
  'definitions',
  '$schema',
  '$id',
  '$comment',
  'minLength',
  'maxLength',
  'pattern',
  'format',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
  'title',
  'description',
  'default',
  'examples',
  'deprecated',
  'readOnly',
  'writeOnly',
  'nullable',
  'contentMediaType',
  'contentEncoding',
]);
const MAX_DEPTH = 24;
const MAX_NODES = 2000;

type SchemaNode = Record<string, unknown>;

/**
 * Converts an MCP tool's JSON Schema into a **strict** zod schema (zod 4's `fromJSONSchema`
 * after a pass that closes every object): keys a schema does not declare are refused, at every
 * level, so a model can never slip `user: "alice"` into a call. Objects whose
 * `additionalProperties` is a schema are maps and stay so, except at the root.
 */
export function inputSchemaFromJsonSchema(jsonSchema: unknown): InputSchemaConversion {
  if (!isNode(jsonSchema) || !hasType(jsonSchema, 'object')) {
    return { ok: false, reason: 'its input schema is not an object schema' };
  }
  if (isNode(jsonSchema.additionalProperties) || jsonSchema.additionalProperties === true) {
    jsonSchema = { ...jsonSchema, additionalProperties: false };
  }
  const counter = { nodes: 0 };
  let closed: SchemaNode;
  try {
    closed = closeObjects(jsonSchema as SchemaNode, '', 0, counter);
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
  try {
    const schema = z.fromJSONSchema(closed as Parameters<typeof z.fromJSONSchema>[0]);
    // The turn loop converts it back to offer it to the model: prove that works now, not mid-run.
    z.toJSONSchema(schema, { io: 'input' });
    return { ok: true, schema };
  } catch (error) {
    return { ok: false, reason: `its input schema cannot be converted: ${(error as Error).message}` };
  }
}

function closeObjects(node: SchemaNode, path: string, depth: number, counter: { nodes: number }): SchemaNode {
  counter.nodes += 1;
  if (depth > MAX_DEPTH || counter.nodes > MAX_NODES) throw new Error('its input schema is too large or too deep');
  const copy: SchemaNode = {};
  for (const [keyword, value] of Object.entries(node)) {
    if (keyword.startsWith('x-')) continue;
    if (!KEYWORDS.has(keyword))
      throw new Error(`its input schema uses "${keyword}" at ${path || '/'}, which is not supported`);
    copy[keyword] = value;
  }
  const child = (value: unknown, at: string): unknown => {
    if (typeof value === 'boolean') return value;
    if (!isNode(value)) throw new Error(`its input schema has an invalid subschema at ${at}`);
    return closeObjects(value, at, depth + 1, counter);
  };
  for (const keyword of ['properties', '$defs', 'definitions'] as const) {
    const members = copy[keyword];
    if (members === undefined) continue;
    if (!isNode(members)) throw new Error(`its input schema has an invalid "${keyword}" at ${path || '/'}`);
    copy[keyword] = Object.fromEntries(
      Object.entries(members).map(([name, value]) => [name, child(value, `${path}/${keyword}/${name}`)]),
    );
  }
  for (const keyword of ['anyOf', 'oneOf', 'prefixItems'] as const) {
    const members = copy[keyword];
    if (members === undefined) continue;
    if (!Array.isArray(members)) throw new Error(`its input schema has an invalid "${keyword}" at ${path || '/'}`);
    copy[keyword] = members.map((value, index) => child(value, `${path}/${keyword}/${index}`));
  }
  if (copy.items !== undefined) {
    copy.items = Array.isArray(copy.items)
      ? copy.items.map((value, index) => child(value, `${path}/items/${index}`))
      : child(copy.items, `${path}/items`);
  }
  if (isNode(copy.additionalProperties)) {
    copy.additionalProperties = child(copy.additionalProperties, `${path}/additionalProperties`);
  } else if (hasType(copy, 'object') || copy.properties !== undefined) {
    copy.additionalProperties = false;
  }
  return copy;
}

function hasType(node: SchemaNode, type: string): boolean {
  return node.type === type || (Array.isArray(node.type) && node.type.includes(type));
}

function isNode(value: unknown): value is SchemaNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
