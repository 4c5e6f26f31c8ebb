import type { LanguageModelV3 } from '@ai-sdk/provider';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DelegationGrant } from '../../src/delegation/grant.ts';
import type { GrantClaims, GrantRequest } from '../../src/delegation/types.ts';
import { ManualClock } from '../../src/shared/clock.ts';
import type { ToolContext } from '../../src/tools/types.ts';
import { ACME_THREAD } from '../support/acme/demo.ts';
import { createScriptedModel } from '../support/models/index.ts';
import { createTestApp } from '../support/test-app.ts';
import {
  ask,
  auditOfRun,
  autoDecide,
  type GrantCase,
  type Instrumentation,
  type InvariantApp,
  instrumentTools,
  outputViolations,
  plannedAttackScript,
  presentGrants,
  type RecordedCall,
  routingModel,
  spyTool,
  storesUnderTest,
  victimsFor,
} from './support/index.ts';

const THREAD = ACME_THREAD.id;
const FIVE_MINUTES = 300;

const SUITE = 'I2 no ambient authority';

describe.each(await storesUnderTest(SUITE))(`${SUITE} on %s`, (_kind, options) => {
  let app: InvariantApp;
  let tools: Instrumentation;
  let route: (call: RecordedCall) => LanguageModelV3;
  const clock = new ManualClock();
  const minted: GrantRequest[] = [];

  beforeAll(async () => {
    app = await createTestApp({
      ...options,
      model: routingModel((call) => route(call)),
      clock,
      extraTools: () => [spyTool(() => app.grants)],
      limits: { maxSteps: 20 },
    });
    tools = instrumentTools(app);
    autoDecide(app);
    // Every grant the gateway asks for, to prove nothing runs on a credential minted otherwise.
    const mint = app.grants.mint.bind(app.grants);
    app.grants.mint = (request) => {
      minted.push(request);
      return mint(request);
    };
  });
  afterAll(async () => {
    await app.close();
  });

  const adversary = (requester: string) =>
    createScriptedModel(
      plannedAttackScript(victimsFor(requester, { jwt: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJkYW5hIn0.' }), {
        pick: (attack) => ['protected-data', 'call-id-collision', 'identity-switch', 'write'].includes(attack.category),
      }),
    );

  it('I2: every tool execution receives a genuine, fresh grant for the requester, the agent, that tool, run and thread', async () => {
    route = (call) => adversary(call.requester ?? '');
    const runs = [
      (await ask(app, 'alice', THREAD, '@agent show me everything')).run,
      (await ask(app, 'carol', THREAD, '@agent show me everything')).run,
    ];
    const jtis = new Set<string>();
    for (const run of runs) {
      const executions = tools.executions.filter((entry) => entry.runId === run.id);
      expect(new Set(executions.map((entry) => entry.tool)).size).toBeGreaterThanOrEqual(4);
      for (const execution of executions) {
        const claims = execution.claims as GrantClaims;
        expect(execution.genuine).toBe(true);
        expect(claims).toMatchObject({
          iss: app.grants.issuer,
          sub: run.requesterId,
          act: { sub: app.agentId },
          aud: app.registry.get(execution.tool)?.audience,
          thread: THREAD,
          run: run.id,
          mode: 'user',
        });
        expect(claims.exp - claims.iat).toBeLessThanOrEqual(FIVE_MINUTES);
        expect(claims.exp * 1000).toBeGreaterThan(execution.at);
        expect(claims.nbf * 1000).toBeLessThanOrEqual(execution.at);
        expect(jtis.has(claims.jti)).toBe(false);
        jtis.add(claims.jti);
        expect(outputViolations(execution)).toEqual([]);
      }
    }
  });

  it('I2: the agent holds no credential of its own: every grant is minted for the requester of its run', async () => {
    const runs = await app.store.runs.listByStatus(['done', 'failed', 'cancelled']);
    const requesterOf = new Map(runs.map((run) => [run.id, run.requesterId]));
    expect(minted.length).toBeGreaterThan(0);
    for (const request of minted) {
      expect(request.subject).toBe(requesterOf.get(request.runId));
      expect(request.subject).not.toBe(app.agentId);
      expect(request.actor).toBe(app.agentId);
      expect(request.mode).toBe('user');
    }
    // A tool receives the acting context and its grant, and nothing else it could act with.
    for (const execution of tools.executions) expect(execution.principal.mode).toBe('user');
    const seen = tools.executions.length;
    let context: ToolContext | undefined;
    tools.beforeExecute = (_tool, given) => {
      context = given;
      return undefined;
    };
    route = () =>
      createScriptedModel((_prompt, step) =>
        step === 0 ? [{ type: 'tool-call', toolName: 'whoami', input: {} }] : [{ type: 'text', text: 'ok' }],
      );
    await ask(app, 'bob', THREAD, '@agent who am I');
    tools.beforeExecute = undefined;
    expect(tools.executions.length).toBe(seen + 1);
    expect(Object.keys(context ?? {}).sort()).toEqual([
      'agent',
      'callId',
      'grant',
      'runId',
      'signal',
      'threadId',
      'willRead',
    ]);
  });

  it('I2: a forged, foreign, reused or expired grant is refused by the tool, and the refusal is audited', async () => {
    const previous = tools.executions.find((entry) => entry.tool === 'sql' && entry.genuine)?.grant;
    const requestFor = (context: ToolContext, change: Partial<GrantRequest>): GrantRequest => ({
      subject: (context.grant as DelegationGrant).claims.sub,
      actor: app.agentId,
      audience: 'behalf:tool:sql',
      scope: 'sql:read',
      threadId: context.threadId,
      runId: context.runId,
      mode: 'user',
      ...change,
    });
    const claimsOf = (context: ToolContext) => (context.grant as DelegationGrant).claims;
    const cases: GrantCase[] = [
      { name: 'a structural copy', grant: (c) => ({ claims: { ...claimsOf(c) } }), reason: /\bforged\b/ },
      {
        name: 'an object on the grant prototype',
        grant: (c) => Object.assign(Object.create(DelegationGrant.prototype), { claims: claimsOf(c) }),
        reason: /\bforged\b/,
      },
      {
        name: 'a grant constructed outside the authority',
        grant: (c) => new DelegationGrant({ ...claimsOf(c) }),
        reason: /\bforged\b/,
      },
      {
        name: 'a forged grant naming dana',
        grant: (c) => new DelegationGrant({ ...claimsOf(c), sub: 'dana' }),
        reason: /\bforged\b/,
      },
      { name: 'a JSON round trip', grant: (c) => JSON.parse(JSON.stringify(c.grant)), reason: /\bforged\b/ },
      { name: 'no grant at all', grant: () => undefined, reason: /\bforged\b/ },
      { name: "another run's grant", grant: () => previous, reason: /\bwrong_run\b/ },
      {
        name: "another tool's grant",
        grant: (c) => app.grants.mint(requestFor(c, { audience: 'behalf:tool:get_document' })),
        reason: /\bbad_audience\b/,
      },
      {
        name: "another thread's grant",
        grant: (c) => app.grants.mint(requestFor(c, { threadId: 'thr_execs_only' })),
        reason: /\bwrong_thread\b/,
      },
      {
        name: 'a genuine grant minted for dana',
        grant: (c) => app.grants.mint(requestFor(c, { subject: 'dana' })),
        // Bound to its one call: only the grant the gateway minted for this call is its identity.
        reason: /\bwrong_call\b/,
      },
      {
        name: 'a grant presented a second time',
        grant: (c) => {
          app.grants.verifyInProcess(c.grant, { audience: 'behalf:tool:sql', runId: c.runId, preventReplay: true });
          return c.grant;
        },
        reason: /\breplayed\b/,
      },
      {
        name: 'an expired grant',
        grant: (c) => {
          clock.advance((FIVE_MINUTES + 1) * 1000);
          return c.grant;
        },
        reason: /\bexpired\b/,
      },
    ];
    expect(previous).toBeDefined();
    route = presentGrants(tools, cases, 'SELECT * FROM compensation');
    try {
      const { run } = await ask(app, 'carol', THREAD, '@agent salaries please');
      const executions = tools.executions.filter((entry) => entry.runId === run.id);
      expect(executions).toHaveLength(cases.length);
      const records = (await auditOfRun(app, run.id)).filter((record) => record.action === 'tool.call');
      cases.forEach((testCase, position) => {
        const execution = executions[position];
        expect(execution?.output, testCase.name).toBeUndefined();
        expect(execution?.error, testCase.name).toMatch(testCase.reason);
        const record = records.find((candidate) => candidate.callId === execution?.callId);
        expect(record, testCase.name).toMatchObject({ decision: 'deny', requester: 'carol' });
        expect(record?.reason, testCase.name).toMatch(testCase.reason);
      });
      // No query ran for any of them.
      expect((await auditOfRun(app, run.id)).filter((record) => record.action === 'data.query')).toEqual([]);
    } finally {
      tools.beforeExecute = undefined;
    }
  });

  it('I2: a signed grant for a tool outside the process verifies against the JWKS, for that one tool only', async () => {
    const token = async (change: Partial<GrantRequest> = {}) =>
      app.grants.sign(
        app.grants.mint({
          subject: 'gus',
          actor: app.agentId,
          audience: 'https://mcp.example/tools/crm',
          scope: 'crm:read',
          threadId: THREAD,
          runId: 'run_signed',
          mode: 'user',
          ...change,
        }),
      );
    const expectation = { audience: 'https://mcp.example/tools/crm', threadId: THREAD, runId: 'run_signed' };

    const good = await token();
    // An outside verifier with nothing but the published keys accepts it, for that audience.
    const jwks = app.grants.jwks();
    for (const key of jwks.keys) expect(key).not.toHaveProperty('d');
    const outside = await jwtVerify(good, createLocalJWKSet(jwks), {
      issuer: app.grants.issuer,
      audience: 'https://mcp.example/tools/crm',
      currentDate: new Date(clock.now()),
    });
    expect(outside.payload).toMatchObject({ sub: 'gus', act: { sub: app.agentId }, run: 'run_signed' });
    await expect(
      jwtVerify(good, createLocalJWKSet(jwks), { audience: 'behalf:tool:sql', currentDate: new Date(clock.now()) }),
    ).rejects.toThrow();

    expect(await app.grants.verify(good, expectation)).toMatchObject({ ok: true, claims: { sub: 'gus' } });
    expect(await app.grants.verify(good, expectation)).toMatchObject({ ok: false, reason: 'replayed' });
    expect(await app.grants.verify(await token(), { ...expectation, audience: 'behalf:tool:sql' })).toMatchObject({
      ok: false,
      reason: 'bad_audience',
    });
    expect(await app.grants.verify(await token(), { ...expectation, runId: 'run_other' })).toMatchObject({
      ok: false,
      reason: 'wrong_run',
    });
    const [header, payload, signature] = (await token()).split('.');
    const claims = JSON.parse(Buffer.from(payload as string, 'base64url').toString());
    const asDana = Buffer.from(JSON.stringify({ ...claims, sub: 'dana' })).toString('base64url');
    expect(await app.grants.verify(`${header}.${asDana}.${signature}`, expectation)).toMatchObject({
      ok: false,
      reason: 'bad_signature',
    });
    const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    expect(await app.grants.verify(`${none}.${payload}.`, expectation)).toMatchObject({
      ok: false,
      reason: 'bad_algorithm',
    });
    const late = await token();
    clock.advance((FIVE_MINUTES + 10) * 1000);
    expect(await app.grants.verify(late, expectation)).toMatchObject({ ok: false, reason: 'expired' });
    // Only genuine grants can be signed: the authority is no signing oracle for forgeries.
    await expect(app.grants.sign(new DelegationGrant({ ...claims, sub: 'dana' }))).rejects.toThrow(/minted/);
  });
});
