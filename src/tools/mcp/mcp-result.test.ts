import { describe, expect, it } from 'vitest';
import { MCP_LABELS_META_KEY, toolOutputOf } from './mcp-result.ts';
import { resolveMcpServers } from './mcp-server-config.ts';

const [server] = resolveMcpServers([{ name: 'crm', url: 'https://crm.test/mcp', defaultLabels: ['public'] }]);
const [unlabelled] = resolveMcpServers([{ name: 'raw', url: 'https://raw.test/mcp' }]);
const text = (value: string) => ({ type: 'text' as const, text: value });

describe('MCP results as tool outputs', () => {
  it('prefers structuredContent, else parses JSON text, else keeps text', () => {
    expect(toolOutputOf(server!, 't', { content: [text('{"a":1}')], structuredContent: { b: 2 } }).content).toEqual({
      b: 2,
    });
    expect(toolOutputOf(server!, 't', { content: [text(' [1, 2] ')] }).content).toEqual([1, 2]);
    expect(toolOutputOf(server!, 't', { content: [text('plain words')] }).content).toBe('plain words');
    expect(toolOutputOf(server!, 't', { content: [text('{not json')] }).content).toBe('{not json');
    expect(toolOutputOf(server!, 't', { content: [text('a'), text('b')] }).content).toEqual(['a', 'b']);
  });

  it('never passes binary data to the model', () => {
    const output = toolOutputOf(server!, 't', {
      content: [
        { type: 'image', data: 'AAAA', mimeType: 'image/png' },
        { type: 'resource', resource: { uri: 'file:///a', blob: 'AAAA' } },
        { type: 'resource', resource: { uri: 'file:///b', text: 'hello' } },
      ],
    });
    expect(JSON.stringify(output.content)).not.toContain('AAAA');
    expect(output.content).toEqual([
      { type: 'image', mimeType: 'image/png', omitted: expect.any(String) },
      { type: 'resource', uri: 'file:///a', omitted: expect.any(String) },
      { type: 'resource', uri: 'file:///b', text: 'hello' },
    ]);
  });

  it("labels from the result's _meta win; else the server's default labels; else none", () => {
    const meta = { [MCP_LABELS_META_KEY]: ['sales-pipeline:emea', 'hr-confidential'] };
    expect(toolOutputOf(server!, 't', { content: [], _meta: meta }).labels).toEqual([
      'sales-pipeline:emea',
      'hr-confidential',
    ]);
    expect(toolOutputOf(server!, 't', { content: [] }).labels).toEqual(['public']);
    expect(toolOutputOf(unlabelled!, 't', { content: [] }).labels).toEqual([]);
  });

  it('I5: labels present but malformed count as none (unclassified), never as the default', () => {
    for (const bad of ['public', [], [42], ['Bad Label'], ['ok', ''], Array.from({ length: 33 }, () => 'public')]) {
      expect(toolOutputOf(server!, 't', { content: [], _meta: { [MCP_LABELS_META_KEY]: bad } }).labels).toEqual([]);
    }
  });

  it("throws the tool's own error, bounded, naming tool and server", () => {
    expect(() =>
      toolOutputOf(server!, 'report', { isError: true, content: [text(`boom ${'!'.repeat(1000)}`)] }),
    ).toThrow(/^MCP tool "report" on "crm" reported an error: boom !{1,500}$/);
    expect(() => toolOutputOf(server!, 'report', { isError: true, content: [] })).toThrow(/no detail/);
  });
});
