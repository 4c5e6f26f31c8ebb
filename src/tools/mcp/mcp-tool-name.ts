import { createHash } from 'node:crypto';

/** The registry's rule for tool names (`InMemoryToolRegistry.register`). */
export const TOOL_NAME_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;

const MAX_LENGTH = 64;

/**
 * The registry name of an MCP tool: `<prefix>_<tool>`, lower-cased, every other character turned
 * into `_`. A name that would exceed 64 characters is cut and given a short hash of the original,
 * so two long names that share a beginning stay distinct.
 */
export function mcpToolName(prefix: string, tool: string): string {
  const cleaned = `${prefix}_${tool}`
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/_$/, '');
  const name = /^[a-z]/.test(cleaned) ? cleaned : `mcp_${cleaned}`;
  if (name.length <= MAX_LENGTH) return name;
  const hash = createHash('sha256').update(`${prefix}\0${tool}`).digest('hex').slice(0, 8);
  return `${name.slice(0, MAX_LENGTH - 9).replace(/_$/, '')}_${hash}`;
}
