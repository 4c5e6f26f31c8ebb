import { describe, expect, it } from 'vitest';
import { effectOf, mcpCallScope } from './mcp-tool.ts';

describe('MCP tool effect from annotations', () => {
  it('is write when the server says not read-only or destructive, read when it says read-only', () => {
    expect(effectOf({ annotations: { readOnlyHint: false } }, 'read')).toBe('write');
    expect(effectOf({ annotations: { destructiveHint: true } }, 'read')).toBe('write');
    // Contradictory hints: the conservative reading wins.
    expect(effectOf({ annotations: { readOnlyHint: true, destructiveHint: true } }, 'read')).toBe('write');
    expect(effectOf({ annotations: { readOnlyHint: true } }, 'write')).toBe('read');
  });

  it("falls back to the server's configured default when the tool says nothing", () => {
    expect(effectOf({}, 'read')).toBe('read');
    expect(effectOf({ annotations: { openWorldHint: true } }, 'write')).toBe('write');
  });

  it('scopes a grant to one tool', () => {
    expect(mcpCallScope('update_customer')).toBe('mcp:call:update_customer');
  });
});
