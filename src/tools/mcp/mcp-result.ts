import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ToolOutput } from '../types.ts';
import { McpConnectorError } from './mcp-errors.ts';
import type { ResolvedMcpServer } from './types.ts';

/**
 * Where an MCP server labels its result (`_meta` of the `tools/call` result): a list of label ids
 * such as `["sales-pipeline:emea"]`. The server knows its data; Behalf applies the labels (I5).
 */
export const MCP_LABELS_META_KEY = 'behalf/labels';

const LABEL = /^[a-z0-9][a-z0-9:._-]{0,99}$/;

/**
 * A `tools/call` result as the gateway's `ToolOutput`. Content: `structuredContent` when given,
 * else the content blocks (text parsed when it is a JSON object or array; binary data left out).
 * Labels: the result's `_meta['behalf/labels']`, else the server's `defaultLabels`; labels that
 * are present but malformed count as none, so the gateway marks the result `unclassified`
 * (fail closed). An `isError` result throws, after declaring its labels through `willRead`: an
 * error is data about what the tool touched (SPEC I5).
 */
export function toolOutputOf(
  server: ResolvedMcpServer,
  tool: string,
  result: CallToolResult,
  willRead: (labels: readonly string[]) => void = () => {},
): ToolOutput {
  if (result.isError) {
    willRead(labelsOf(result, server.defaultLabels));
    const text = result.content
      .flatMap((block) => (block.type === 'text' ? [block.text] : []))
      .join(' ')
      .replace(/\s+/g, ' ')
      .slice(0, 500);
    throw new McpConnectorError(
      'tool_error',
      `MCP tool "${tool}" on "${server.name}" reported an error: ${text || 'no detail'}`,
    );
  }
  return { content: contentOf(result), labels: labelsOf(result, server.defaultLabels) };
}

function contentOf(result: CallToolResult): unknown {
  if (result.structuredContent !== undefined) return result.structuredContent;
  const parts = result.content.map((block): unknown => {
    switch (block.type) {
      case 'text':
        return parseJsonText(block.text);
      case 'image':
      case 'audio':
        return { type: block.type, mimeType: block.mimeType, omitted: 'binary data is not passed to the model' };
      case 'resource_link':
        return { type: 'resource_link', uri: block.uri, name: block.name };
      case 'resource':
        return 'text' in block.resource
          ? { type: 'resource', uri: block.resource.uri, text: block.resource.text }
          : { type: 'resource', uri: block.resource.uri, omitted: 'binary data is not passed to the model' };
      default:
        return { type: 'unknown' };
    }
  });
  return parts.length === 1 ? parts[0] : parts;
}

function parseJsonText(text: string): unknown {
  const trimmed = text.trim();
  if (!(trimmed.startsWith('{') || trimmed.startsWith('['))) return text;
  try {
    return JSON.parse(trimmed);
  } catch {
    return text;
  }
}

function labelsOf(result: CallToolResult, defaults: string[]): string[] {
  const meta = result._meta;
  if (!meta || !(MCP_LABELS_META_KEY in meta)) return [...defaults];
  const labels = meta[MCP_LABELS_META_KEY];
  if (!Array.isArray(labels) || labels.length === 0 || labels.length > 32) return [];
  return labels.every((label) => typeof label === 'string' && LABEL.test(label)) ? [...labels] : [];
}
