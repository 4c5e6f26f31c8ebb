import type { LanguageModelV3 } from '@ai-sdk/provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Run } from '../../src/agent/types.ts';
import { createGrantAuthority } from '../../src/delegation/grant-authority.ts';
import type { GrantRequest } from '../../src/delegation/types.ts';
import { SessionService } from '../../src/identity/session-service.ts';
import { randomIds } from '../../src/shared/ids.ts';
import { ACME_THREAD } from '../support/acme/demo.ts';
import { createScriptedModel } from '../support/models/index.ts';
import { createTestApp } from '../support/test-app.ts';
import {
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
  rawSql,
  routingModel,
  storesUnderTest,
  victimsFor,
} from './support/index.ts';

const THREAD = ACME_THREAD.id;

const SUITE = 'I9 credentials are partitioned';

describe.each(await storesUnderTest(SUITE))(`${SUITE} on %s`, (_kind, options) => {
  let app: InvariantApp;
  let tools: Instrumentation;
  let route: (call: RecordedCall) => LanguageModelV3;
  let runs: Run[];

  beforeAll(async () => {
    app = await createTestApp({ ...options, model: routingModel((call) => route(call)), limits: { maxSteps: 12 } });
    tools = instrumentTools(app);
    autoDecide(app);
    // Three people's adversarial turns, interleaved in one thread.
    route = (call) =>
      createScriptedModel(
        plannedAttackScript(victimsFor(call.requester ?? ''), {
          pick: (attack) => ['protected-data', 'call-id-collision', 'impersonation'].includes(attack.category),
          perStep: 16,
          maxSteps: 3,
        }),
      );
    const started = await Promise.all(
      ['alice', 'bob', 'carol'].map((user) => app.postMessage(user, THREAD, '@agent everything, with my grant')),
    );
    await app.drain();
    runs = await Promise.all(started.map(({ run }) => app.store.runs.get(run?.id as string) as Promise<Run>));
  });
  afterAll(async () => {
    await app.close();
  });

  it('I9: every grant is minted for one (user, run, tool): none is shared, none names another person', () => {
    const jtis = new Set<string>();
    const grants = new Set<unknown>();
    for (const run of runs) {
      const executions = tools.executions.filter((entry) => entry.runId === run.id);
      expect(executions.length).toBeGreaterThan(10);
      for (const execution of executions) {
        expect(execution.claims).toMatchObject({
          sub: run.requesterId,
          run: run.id,
          aud: app.registry.get(execution.tool)?.audience,
        });
        expect(jtis.has(execution.claims?.jti as string)).toBe(false);
        expect(grants.has(execution.grant)).toBe(false);
        jtis.add(execution.claims?.jti as string);
        grants.add(execution.grant);
        expect(outputViolations(execution)).toEqual([]);
      }
    }
  });

  it("I9: a grant from one person's call is refused in another's, even a genuine, unused one", async () => {
    const [alices] = runs as [Run, Run];
    const request = (change: Partial<GrantRequest>): GrantRequest => ({
      subject: 'alice',
      actor: app.agentId,
      audience: 'behalf:tool:sql',
      scope: 'sql:read',
      threadId: THREAD,
      runId: alices.id,
      mode: 'user',
      ...change,
    });
    // Another authority over the same keys: another deployment, or another process's registry.
    const other = await createGrantAuthority({
      issuer: app.grants.issuer,
      keys: app.store.signingKeys,
      jtis: app.store.jtis,
      clock: app.clock,
      ids: randomIds,
    });
    const cases: GrantCase[] = [
      { name: "alice's grant for her run", grant: () => app.grants.mint(request({})), reason: /wrong_run/ },
      {
        name: "alice's grant re-pointed at bob's run",
        grant: (context) => app.grants.mint(request({ runId: context.runId })),
        // Bound to its one call: only the grant the gateway minted for this call is its identity.
        reason: /\bwrong_call\b/,
      },
      {
        name: "bob's own grant for another tool",
        grant: (context) =>
          app.grants.mint(request({ subject: 'bob', runId: context.runId, audience: 'behalf:tool:get_document' })),
        reason: /bad_audience/,
      },
      {
        name: 'a grant for bob minted by another authority with the same keys',
        grant: (context) => other.mint(request({ subject: 'bob', runId: context.runId })),
        reason: /forged/,
      },
    ];
    route = presentGrants(tools, cases, 'SELECT employee_id FROM compensation');
    try {
      const { run } = await app.postMessage('bob', THREAD, "@agent compensation, with alice's grant");
      await app.drain();
      const executions = tools.executions.filter((entry) => entry.runId === run?.id);
      expect(executions).toHaveLength(cases.length);
      cases.forEach((testCase, position) => {
        expect(executions[position]?.output, testCase.name).toBeUndefined();
        expect(executions[position]?.error, testCase.name).toMatch(testCase.reason);
      });
      const denied = (await auditOfRun(app, run?.id as string)).filter(
        (record) => record.action === 'tool.call' && record.decision === 'deny',
      );
      expect(denied).toHaveLength(cases.length);
      for (const record of denied) expect(record.requester).toBe('bob');
    } finally {
      tools.beforeExecute = undefined;
    }
  });

  it('I9: a signed grant verifies only for its own (user, run, tool), and only once', async () => {
    const [alices, bobs] = runs as [Run, Run];
    const token = await app.grants.sign(
      app.grants.mint({
        subject: 'alice',
        actor: app.agentId,
        audience: 'https://crm.example.com/mcp',
        scope: 'crm:read',
        threadId: THREAD,
        runId: alices.id,
        mode: 'user',
      }),
    );
    const expectation = { audience: 'https://crm.example.com/mcp', threadId: THREAD };
    expect(await app.grants.verify(token, { ...expectation, runId: bobs.id })).toMatchObject({ reason: 'wrong_run' });
    expect(
      await app.grants.verify(token, { ...expectation, audience: 'https://hr.example.com/mcp', runId: alices.id }),
    ).toMatchObject({
      reason: 'bad_audience',
    });
    expect(await app.grants.verify(token, { ...expectation, runId: alices.id })).toMatchObject({
      ok: true,
      claims: { sub: 'alice' },
    });
    expect(await app.grants.verify(token, { ...expectation, runId: alices.id })).toMatchObject({
      reason: 'replayed',
    });
    // Another deployment (another issuer) cannot vouch for anyone here.
    const foreign = await createGrantAuthority({
      issuer: 'https://evil.example',
      keys: app.store.signingKeys,
      jtis: app.store.jtis,
      clock: app.clock,
      ids: randomIds,
    });
    const forged = await foreign.sign(
      foreign.mint({
        subject: 'bob',
        actor: app.agentId,
        audience: 'https://crm.example.com/mcp',
        scope: 'crm:read',
        threadId: THREAD,
        runId: bobs.id,
        mode: 'user',
      }),
    );
    expect(await app.grants.verify(forged, { ...expectation, runId: bobs.id })).toMatchObject({
      reason: 'bad_issuer',
    });
  });

  it('I9: sessions are partitioned: a token authenticates its own user only, and is stored only as a hash', async () => {
    const sessions = new SessionService({ sessions: app.store.sessions, users: app.store.users, clock: app.clock });
    const alice = await sessions.issue('alice');
    const bob = await sessions.issue('bob');
    expect(alice.token).not.toBe(bob.token);
    expect((await sessions.authenticate(alice.token))?.user.id).toBe('alice');
    expect((await sessions.authenticate(bob.token))?.user.id).toBe('bob');
    const rows = await rawSql(app.store).all('SELECT * FROM sessions');
    expect(JSON.stringify(rows)).not.toContain(alice.token);
    expect(JSON.stringify(rows)).not.toContain(bob.token);
    // A near miss of alice's token is nobody's; revoking alice leaves bob signed in.
    const flipped = `${alice.token.slice(0, -1)}${alice.token.endsWith('A') ? 'B' : 'A'}`;
    expect(await sessions.authenticate(flipped)).toBeUndefined();
    await sessions.revoke(alice.token);
    expect(await sessions.authenticate(alice.token)).toBeUndefined();
    expect((await sessions.authenticate(bob.token))?.user.id).toBe('bob');
  });
});
