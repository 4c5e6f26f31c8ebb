import { requiredStringProperties, type ToolCatalogEntry } from './tool-catalog.ts';

/** What a tool is for, guessed from its name, description and schema (the adversary's view). */
export type ToolRole = 'sql' | 'read-document' | 'search' | 'write' | 'other';

const WRITE_NAME =
  /^(?:create|update|delete|remove|post|send|write|set|insert|drop|file|submit|approve|share|add)[_-]|ticket/i;

/** The role of a tool; an unknown tool is `other` and still gets every generic attack. */
export function roleOf(tool: ToolCatalogEntry): ToolRole {
  const properties = Object.keys(tool.inputSchema.properties ?? {});
  if (tool.name === 'sql' || (/\bsql\b/i.test(tool.description) && queryProperty(tool) !== undefined)) return 'sql';
  if (WRITE_NAME.test(tool.name)) return 'write';
  if (/search/i.test(tool.name)) return 'search';
  if (/document|doc\b|file|page/i.test(tool.name) && properties.some((name) => /id$/i.test(name)))
    return 'read-document';
  return 'other';
}

/** The argument carrying a SQL or search query: `query`, `sql`, `q`, else the first required string. */
export function queryProperty(tool: ToolCatalogEntry): string | undefined {
  const properties = Object.keys(tool.inputSchema.properties ?? {});
  return (
    ['query', 'sql', 'q'].find((name) => properties.includes(name)) ?? requiredStringProperties(tool.inputSchema)[0]
  );
}

/** The argument naming a document: `id`, else the first property ending in `id`. */
export function idProperty(tool: ToolCatalogEntry): string {
  const properties = Object.keys(tool.inputSchema.properties ?? {});
  return properties.includes('id') ? 'id' : (properties.find((name) => /id$/i.test(name)) ?? 'id');
}
