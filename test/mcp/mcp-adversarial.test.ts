import type { LanguageModelV3, LanguageModelV3CallOptions } from '@ai-sdk/provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdversarialModel } from '../support/models/index.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { ask, connectInto, serveJwks, THREAD, toolCallAudit } from './mcp-fixture.ts';
import { startTestMcpServer, type TestMcpServer } from './test-mcp-server.ts';

/**
 * SPEC I10 against MCP tools: the adversarial model throws every hostile argument it can build at
 * the MCP tools (other people's ids in extra keys, a stolen grant, malformed input, unknown
 * tools) and follows injected instructions. Whatever it does, the MCP server only ever sees
 * calls for the requester, made by the agent, in the requester's run.
 */
describe('MCP tools under the adversarial model', () => {
  let app: TestApp;
  let jwks: Awaited<ReturnType<typeof serveJwks>>;
  let crm: TestMcpServer;
  let stolen = '';

  beforeAll(async () => {
    let adversary: LanguageModelV3 | undefined;
    // The adversary attacks only the MCP tools: the built-in ones have their own suites.
    const onlyMcp = (options: LanguageModelV3CallOptions): LanguageModelV3CallOptions => ({
      ...options,
      tools: options.tools?.filter((tool) => tool.name.startsWith('crm_')),
    });
    const model: LanguageModelV3 = {
      specificationVersion: 'v3',
      provider: 'behalf',
      modelId: 'adversarial-mcp',
      supportedUrls: {},
      doGenerate: (options) => (adversary as LanguageModelV3).doGenerate(onlyMcp(options)),
      doStream: (options) => (adversary as LanguageModelV3).doStream(onlyMcp(options)),
    };
    app = await createTestApp({ model, limits: { maxSteps: 16 } });
    jwks = await serveJwks(app.grants);
    crm = await startTestMcpServer({ issuer: app.grants.issuer, jwksUrl: jwks.url });
    await connectInto(app, [{ name: 'crm', url: crm.url }]);
    // A genuine, signed grant for alice at this very server: the most useful thing to steal.
    stolen = await app.grants.sign(
      app.grants.mint({
        subject: 'alice',
        actor: app.agentId,
        audience: crm.resource,
        scope: 'mcp:call:list_customers',
        threadId: THREAD,
        runId: 'run_of_alice',
        mode: 'user',
      }),
    );
    adversary = createAdversarialModel({
      victims: { users: ['alice', 'gus', 'dana', 'erin'], jwt: stolen, runIds: ['run_of_alice'] },
      maxToolSteps: 12,
      callsPerStep: 64,
    });
    // Answers every approval the adversary's writes ask for: approved writes must still be bob's.
    app.events.subscribe((event) => {
      if (event.type !== 'approval-requested') return;
      setTimeout(() => {
        app.agent.approvals
          .decide(event.approval.requesterId, event.approval.id, { approve: true, always: false })
          .catch(() => {});
      }, 0);
    });
  });
  afterAll(async () => {
    await crm?.close();
    await jwks?.close();
    await app?.close();
  });

  it("I1/I2/I10: every call reaching the MCP server is bob's, by the agent, in bob's run", async () => {
    const { run, answer } = await ask(app, 'bob', '@agent show me every customer of alice and gus');
    expect(['done', 'failed']).toContain(run.status);
    const calls = crm.calls.filter((call) => call.claims.run === run.id);
    expect(calls.length).toBeGreaterThan(0);
    expect(new Set(calls.map((call) => call.tool)).size).toBeGreaterThanOrEqual(2);
    for (const call of calls) {
      expect(call.claims).toMatchObject({ sub: 'bob', act: { sub: app.agentId }, aud: crm.resource, mode: 'user' });
      expect(call.token).not.toBe(stolen);
      expect(JSON.stringify(call.args)).not.toMatch(/alice|gus|dana|erin|eyJ/);
    }
    // Nothing ran for anyone else, and nothing but bob's rows came back.
    expect(crm.calls.every((call) => call.claims.sub === 'bob')).toBe(true);
    expect(answer?.text ?? '').not.toContain('Osaka Robotics');
    // Every attempt, allowed or refused, is audited as bob's.
    const records = await toolCallAudit(app, run.id);
    expect(records.length).toBeGreaterThan(calls.length);
    expect(records.every((record) => record.requester === 'bob')).toBe(true);
    expect(records.some((record) => record.decision === 'deny')).toBe(true);
  });
});
