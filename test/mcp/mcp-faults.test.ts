import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { McpConnection } from '../../src/tools/mcp/index.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { ask, connectInto, serveJwks, toolCallAudit, toolSteps } from './mcp-fixture.ts';
import { startTestMcpServer, type TestMcpServer } from './test-mcp-server.ts';

/**
 * Issue 4 "Bad input and faults": an MCP server that is down, slow or returns garbage makes the
 * tool call fail cleanly — an error result for the model, one audit record — and the run goes
 * on. A server unreachable at startup is reported and only its tools are missing.
 */
describe('MCP faults', () => {
  let app: TestApp;
  let jwks: Awaited<ReturnType<typeof serveJwks>>;
  let crm: TestMcpServer;
  let doomed: TestMcpServer;
  let nonsense: Server;
  let connection: McpConnection;
  let closedUrl: string;

  beforeAll(async () => {
    app = await createTestApp();
    jwks = await serveJwks(app.grants);
    crm = await startTestMcpServer({ issuer: app.grants.issuer, jwksUrl: jwks.url });
    doomed = await startTestMcpServer({ issuer: app.grants.issuer, jwksUrl: jwks.url });
    // Answers every request with something that is not MCP at all.
    nonsense = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"hello": "world"}');
    });
    await new Promise<void>((resolve) => nonsense.listen(0, '127.0.0.1', resolve));
    const gone = await startTestMcpServer({ issuer: app.grants.issuer, jwksUrl: jwks.url });
    closedUrl = gone.url;
    await gone.close();
    connection = await connectInto(app, [
      { name: 'crm', url: crm.url, timeoutMs: 1500 },
      { name: 'doomed', url: doomed.url, timeoutMs: 1500 },
      { name: 'offline', url: closedUrl, timeoutMs: 1500 },
      { name: 'nonsense', url: `http://127.0.0.1:${(nonsense.address() as AddressInfo).port}/mcp`, timeoutMs: 1500 },
    ]);
    await doomed.close();
  });
  afterAll(async () => {
    await crm?.close();
    await jwks?.close();
    await new Promise((resolve) => nonsense?.close(resolve));
    await app?.close();
  });
  beforeEach(() => {
    crm.behavior.delayMs = 0;
    crm.behavior.garbage = null;
  });

  it('reports a server unreachable at startup; its tools are absent and the others load', () => {
    const byName = Object.fromEntries(connection.servers.map((server) => [server.name, server]));
    expect(byName.crm?.status).toBe('connected');
    expect(byName.doomed?.status).toBe('connected');
    expect(byName.offline).toMatchObject({
      status: 'failed',
      tools: [],
      error: expect.stringMatching(/MCP server "offline" is unreachable at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/),
    });
    expect(byName.nonsense).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/"nonsense" sent a malformed response/),
    });
    expect(
      app.registry.list().some((tool) => tool.name.startsWith('offline_') || tool.name.startsWith('nonsense_')),
    ).toBe(false);
    expect(app.registry.get('crm_whoami')).toBeDefined();
  });

  it('a server gone down after startup: a clean failed call, audited as an error, and the run still answers', async () => {
    const { run, answer } = await ask(app, 'bob', '@agent /tool doomed_whoami {}');
    expect(run.status).toBe('done');
    expect(toolSteps(run)[0]).toMatchObject({
      decision: 'error',
      reason: expect.stringMatching(
        /doomed_whoami failed: MCP server "doomed" is unreachable .*(ECONNREFUSED|ECONNRESET|UND_ERR_SOCKET)/,
      ),
    });
    const [record] = await toolCallAudit(app, run.id);
    expect(record).toMatchObject({ requester: 'bob', decision: 'error', resource: 'tool:doomed_whoami' });
    expect(answer?.text).toBeTruthy();
  });

  it('a slow server: the call times out cleanly within its budget, audited', async () => {
    crm.behavior.delayMs = 4000;
    const started = Date.now();
    const { run } = await ask(app, 'bob', '@agent /tool crm_whoami {}');
    expect(Date.now() - started).toBeLessThan(3500);
    expect(run.status).toBe('done');
    expect(toolSteps(run)[0]).toMatchObject({
      decision: 'error',
      reason: expect.stringMatching(/MCP server "crm" did not answer within 1500 ms/),
    });
    expect((await toolCallAudit(app, run.id))[0]).toMatchObject({ decision: 'error' });
  });

  it.each([
    ['not-json', /"crm" sent a malformed response/],
    ['wrong-shape', /"crm" sent a malformed response: content/],
    ['html', /"crm" sent a malformed response: Unexpected content type: text\/html/],
    ['huge', /"crm" sent more than \d+ bytes/],
  ] as const)(
    'garbage (%s): a clean failed call naming the server, audited, the run goes on',
    async (kind, message) => {
      crm.behavior.garbage = kind;
      const { run } = await ask(app, 'bob', '@agent /tool crm_whoami {}');
      expect(run.status).toBe('done');
      expect(toolSteps(run)[0]).toMatchObject({ decision: 'error', reason: expect.stringMatching(message) });
      const [record] = await toolCallAudit(app, run.id);
      expect(record).toMatchObject({ decision: 'error', reason: expect.stringMatching(message) });
    },
  );

  it("a tool's own error result (isError) fails the call with the server's message", async () => {
    const { run } = await ask(app, 'bob', '@agent /tool crm_broken_report {}');
    expect(toolSteps(run)[0]).toMatchObject({
      decision: 'error',
      reason: expect.stringMatching(
        /MCP tool "broken_report" on "crm" reported an error: the reporting database is on fire/,
      ),
    });
  });

  it('never leaks the grant into error messages or audit records', async () => {
    crm.behavior.garbage = 'wrong-shape';
    const { run } = await ask(app, 'bob', '@agent /tool crm_whoami {}');
    const records = JSON.stringify(await toolCallAudit(app, run.id));
    expect(records).not.toMatch(/eyJ[\w-]+\.[\w-]+\./);
    expect(JSON.stringify(run.steps)).not.toMatch(/eyJ[\w-]+\.[\w-]+\./);
  });
});
