import { describe, expect, it } from 'vitest';
import { DEFAULT_CREDENTIAL_HEADER, mcpServersFromEnv, resolveMcpServers } from './mcp-server-config.ts';

describe('MCP server configuration', () => {
  it('applies defaults: resource = origin + path, prefix from the name, 10 s budget, no credential', () => {
    const [server] = resolveMcpServers([{ name: 'Github-Issues', url: 'https://mcp.example.com/v1/mcp?x=1#frag' }]);
    expect(server).toEqual({
      name: 'Github-Issues',
      url: new URL('https://mcp.example.com/v1/mcp?x=1#frag'),
      resource: 'https://mcp.example.com/v1/mcp',
      toolPrefix: 'github_issues',
      timeoutMs: 10_000,
      credential: 'none',
      credentialHeader: DEFAULT_CREDENTIAL_HEADER,
      defaultLabels: [],
      unannotatedEffect: 'read',
    });
  });

  it('keeps explicit values', () => {
    const [server] = resolveMcpServers([
      {
        name: 'crm',
        url: 'https://crm.example.com/mcp',
        resource: 'https://crm.example.com/',
        toolPrefix: 'sales',
        timeoutMs: 2000,
        credential: 'per-user-oauth',
        credentialHeader: 'X-Crm-Token',
        defaultLabels: ['sales-pipeline:emea'],
        unannotatedEffect: 'write',
      },
    ]);
    expect(server).toMatchObject({
      resource: 'https://crm.example.com/',
      toolPrefix: 'sales',
      credential: 'per-user-oauth',
      credentialHeader: 'X-Crm-Token',
      defaultLabels: ['sales-pipeline:emea'],
      unannotatedEffect: 'write',
    });
  });

  it('parses BEHALF_MCP_SERVERS; unset or blank means no servers', () => {
    expect(mcpServersFromEnv(undefined)).toEqual([]);
    expect(mcpServersFromEnv('  ')).toEqual([]);
    expect(mcpServersFromEnv('[{"name":"crm","url":"http://127.0.0.1:9000/mcp"}]')[0]?.name).toBe('crm');
    expect(() => mcpServersFromEnv('[{"name":')).toThrow(/BEHALF_MCP_SERVERS is not valid JSON/);
  });

  it.each([
    [{ name: 'crm' }, /"crm": url/],
    [{ name: 'crm', url: 'not a url' }, /url is not an absolute URL/],
    [{ name: 'crm', url: 'ftp://x.test/mcp' }, /must be http or https/],
    [{ name: 'crm', url: 'https://user:pw@x.test/mcp' }, /must not carry credentials/],
    [{ name: 'crm', url: 'https://x.test/mcp', resource: 'https://x.test/mcp#a' }, /fragment/],
    [{ name: 'crm', url: 'https://x.test/mcp', surprise: 1 }, /Unrecognized key/],
    [{ name: 'has space', url: 'https://x.test/mcp' }, /name/],
    [{ name: 'crm', url: 'https://x.test/mcp', toolPrefix: 'Bad-Prefix' }, /toolPrefix/],
    [{ name: 'crm', url: 'https://x.test/mcp', timeoutMs: 10 }, /timeoutMs/],
    [{ name: 'crm', url: 'https://x.test/mcp', credentialHeader: 'Authorization' }, /credentialHeader/],
    [{ name: 'crm', url: 'https://x.test/mcp', credentialHeader: 'Mcp-Session-Id' }, /credentialHeader/],
    [{ name: 'crm', url: 'https://x.test/mcp', defaultLabels: ['Not A Label'] }, /defaultLabels/],
    [{ name: 'crm', url: 'http://crm.internal/mcp', credential: 'per-user-oauth' }, /must use https/],
  ])('refuses a bad entry with a message naming it (%#)', (entry, message) => {
    expect(() => resolveMcpServers([entry])).toThrow(message);
    expect(() => resolveMcpServers([entry])).toThrow(/^Invalid MCP configuration/);
  });

  it('allows per-user-oauth over plain http on loopback only (tests, local development)', () => {
    for (const host of ['127.0.0.1:9000', 'localhost:9000', '[::1]:9000']) {
      expect(
        resolveMcpServers([{ name: 'crm', url: `http://${host}/mcp`, credential: 'per-user-oauth' }]),
      ).toHaveLength(1);
    }
  });

  it('refuses duplicate names and prefixes, and a configuration that is not a list', () => {
    expect(() =>
      resolveMcpServers([
        { name: 'crm', url: 'https://a.test/mcp' },
        { name: 'crm', url: 'https://b.test/mcp' },
      ]),
    ).toThrow(/two MCP servers are named "crm"/);
    expect(() =>
      resolveMcpServers([
        { name: 'crm', url: 'https://a.test/mcp' },
        { name: 'sales', url: 'https://b.test/mcp', toolPrefix: 'crm' },
      ]),
    ).toThrow(/tool prefix "crm"/);
    expect(() => resolveMcpServers({ name: 'crm' })).toThrow(/must be a list/);
  });
});
