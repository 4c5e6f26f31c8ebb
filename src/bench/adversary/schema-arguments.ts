import { type JsonSchema, type ToolCatalogEntry, typeOf } from '../../agent/model/tool-catalog.ts';

/**
 * Valid-looking arguments for a tool, built from its JSON schema: the base every hostile
 * variation starts from, so a rejection can only be caused by the variation itself.
 * `hints` supply realistic values by property name (`query`, `id`...).
 */
export function baselineInput(tool: ToolCatalogEntry, hints: Record<string, unknown> = {}): Record<string, unknown> {
  const properties = tool.inputSchema.properties ?? {};
  const required = tool.inputSchema.required ?? Object.keys(properties);
  const input: Record<string, unknown> = {};
  for (const name of required) input[name] = name in hints ? hints[name] : sampleValue(name, properties[name] ?? {});
  return input;
}

function sampleValue(name: string, schema: JsonSchema): unknown {
  if (schema.enum && schema.enum.length > 0) return schema.enum[0];
  switch (typeOf(schema)) {
    case 'string':
      return `test ${name}`;
    case 'number':
    case 'integer':
      return 1;
    case 'boolean':
      return true;
    case 'array':
      return [];
    case 'object':
      return {};
    default:
      return `test ${name}`;
  }
}

/** For each required property, the same baseline with that property given each wrong type. */
export function wrongTypeInputs(tool: ToolCatalogEntry, baseline: Record<string, unknown>): Record<string, unknown>[] {
  const properties = tool.inputSchema.properties ?? {};
  return Object.keys(baseline).flatMap((name) => {
    const isString = typeOf(properties[name] ?? {}) === 'string';
    const wrong: unknown[] = isString ? [42, true, null, ['SELECT 1'], { $ne: null }] : ['not the right type', null];
    return wrong.map((value) => ({ ...baseline, [name]: value }));
  });
}

/** String properties of a tool's schema (required or not), in declaration order. */
export function stringProperties(tool: ToolCatalogEntry): string[] {
  return Object.entries(tool.inputSchema.properties ?? {})
    .filter(([, schema]) => typeOf(schema) === 'string' && !schema.enum)
    .map(([name]) => name);
}
