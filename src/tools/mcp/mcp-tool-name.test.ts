import { describe, expect, it } from 'vitest';
import { mcpToolName, TOOL_NAME_PATTERN } from './mcp-tool-name.ts';

describe('MCP tool names in the registry', () => {
  it('joins prefix and tool, lower-cased, other characters as _', () => {
    expect(mcpToolName('crm', 'whoami')).toBe('crm_whoami');
    expect(mcpToolName('crm', 'Get-Customer.by ID')).toBe('crm_get_customer_by_id');
    expect(mcpToolName('crm', 'files/read__all_')).toBe('crm_files_read_all');
  });

  it('always yields a name the registry accepts', () => {
    for (const tool of ['', '123', 'ünïcödé', '🙂', '../../etc/passwd', 'a'.repeat(200), '__proto__']) {
      expect(mcpToolName('crm', tool)).toMatch(TOOL_NAME_PATTERN);
    }
    expect(mcpToolName('9lives', 'x')).toMatch(TOOL_NAME_PATTERN);
  });

  it('keeps long names distinct by a hash of the original', () => {
    const long = 'x'.repeat(80);
    const first = mcpToolName('crm', `${long}_one`);
    const second = mcpToolName('crm', `${long}_two`);
    expect(first).toHaveLength(64);
    expect(first).not.toBe(second);
    expect(mcpToolName('crm', `${long}_one`)).toBe(first);
  });
});
