import type { LanguageModelV3CallOptions } from '@ai-sdk/provider';
import { asSchema, type ToolSet } from 'ai';

/** The subset of JSON Schema Behalf's own models read from a tool's input schema. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  items?: JsonSchema;
  description?: string;
  additionalProperties?: boolean | JsonSchema;
  minLength?: number;
  maxLength?: number;
}

/** A tool as a model sees it in one call: name, description and input schema. */
export interface ToolCatalogEntry {
  name: string;
  description: string;
  inputSchema: JsonSchema;
}

/**
 * The function tools offered in one call. Behalf's models only ever call tools listed here: the
 * turn loop offers exactly the tools the requester may use, and nothing else is real.
 */
export function toolCatalogOf(options: Pick<LanguageModelV3CallOptions, 'tools'>): ToolCatalogEntry[] {
  return (options.tools ?? []).flatMap((tool) =>
    tool.type === 'function'
      ? [{ name: tool.name, description: tool.description ?? '', inputSchema: (tool.inputSchema ?? {}) as JsonSchema }]
      : [],
  );
}

/**
 * The catalog a model would see for an AI SDK tool set (the JSON schemas the SDK sends), so
 * tests can compute `plannedAttacks` for exactly the tools they pass to `generateText`.
 */
export async function toolCatalogOfToolSet(tools: ToolSet): Promise<ToolCatalogEntry[]> {
  return Promise.all(
    Object.entries(tools).map(async ([name, tool]) => ({
      name,
      description: typeof tool.description === 'string' ? tool.description : '',
      inputSchema: (await asSchema(tool.inputSchema).jsonSchema) as JsonSchema,
    })),
  );
}

/** Required string properties of a schema, in declaration order. */
export function requiredStringProperties(schema: JsonSchema): string[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {})
    .filter(([name, property]) => required.has(name) && typeOf(property) === 'string' && !property.enum)
    .map(([name]) => name);
}

/** The first JSON type a schema allows (`string` for `["string", "null"]`). */
export function typeOf(schema: JsonSchema): string | undefined {
  return Array.isArray(schema.type) ? schema.type.find((type) => type !== 'null') : schema.type;
}
