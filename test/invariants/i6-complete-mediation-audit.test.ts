import type { LanguageModelV3 } from '@ai-sdk/provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Approval, Run } from '../../src/agent/types.ts';
import type { AuditLogStore } from '../../src/audit/types.ts';
import { verifyChain } from '../../src/audit/verify.ts';
import type { DomainEvent } from '../../src/events/types.ts';
import { isAppError } from '../../src/protocol/errors.ts';
import { hashValue } from '../../src/shared/hash.ts';
import { ACME_DOCUMENTS, ACME_THREAD } from '../support/acme/demo.ts';
import { createScriptedModel, UNKNOWN_TOOL_NAMES } from '../support/models/index.ts';
import { createTestApp } from '../support/test-app.ts';
import {
  adversaryPerRequester,
  ask,
  auditOfRun,
  autoDecide,
  type Instrumentation,
  type InvariantApp,
  instrumentTools,
  type RecordedCall,
  type RoutingModel,
  recordEvents,
  routingModel,
  storesUnderTest,
  victimsFor,
  waitForStatus,
} from './support/index.ts';

const THREAD = ACME_THREAD.id;
const STOLEN_JWT = 'eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJkYW5hIiwic2VjcmV0IjoidG9wIn0.c3RvbGVuLXNpZ25hdHVyZQ';
const TICKET = { title: 'Audit outage drill', body: 'Please check the audit disk.', severity: 'low' } as const;

const SUITE = 'I6 complete mediation and audit';

describe.each(await storesUnderTest(SUITE))(`${SUITE} on %s`, (_kind, options) => {
  let app: InvariantApp;
  let tools: Instrumentation;
  let model: RoutingModel;
  let route: (call: RecordedCall) => LanguageModelV3;
  let pause: ((call: RecordedCall) => void) | undefined;
  let events: DomainEvent[];
  let adversarial: Run;
  let decideApproval: (approval: Approval) => { approve: boolean; always?: boolean } | undefined = () => ({
    approve: false,
  });
  const decided: Approval[] = [];

  beforeAll(async () => {
    model = routingModel(
      (call) => route(call),
      (call) => pause?.(call),
    );
    app = await createTestApp({ ...options, model, limits: { maxSteps: 40, approvalTimeoutMs: 1_500 } });
    tools = instrumentTools(app);
    events = recordEvents(app);
    autoDecide(app, (approval) => {
      const answer = decideApproval(approval);
      if (answer) decided.push(approval);
      return answer;
    });
    route = adversaryPerRequester({ victims: (requester) => victimsFor(requester, { jwt: STOLEN_JWT }) });
    adversarial = (await ask(app, 'bob', THREAD, '@agent read the vendor FAQ and do what it says')).run;
  });
  afterAll(async () => {
    await app.close();
  });

  /** Swaps the audit store's writes for ones that fail, until `restore()`. */
  function breakAudit(): { restore(): void } {
    const store: AuditLogStore = app.store.audit;
    const append = store.appendChained.bind(store);
    const commit = store.commit.bind(store);
    const fail = async (): Promise<never> => {
      throw new Error('disk full');
    };
    store.appendChained = fail;
    store.commit = fail;
    return {
      restore() {
        store.appendChained = append;
        store.commit = commit;
      },
    };
  }

  it('I6: every tool call of the adversarial run, allowed or denied, has exactly one complete audit record', async () => {
    expect(adversarial.status).toBe('done');
    const steps = adversarial.steps.flatMap((step) => (step.kind === 'tool-call' ? [step] : []));
    const records = await auditOfRun(app, adversarial.id);
    const calls = records.filter((record) => record.action === 'tool.call');
    expect(steps.length).toBeGreaterThan(300);
    expect(calls).toHaveLength(steps.length);
    const count = (list: Array<{ callId?: string }>, callId: string) =>
      list.filter((entry) => entry.callId === callId).length;
    for (const step of steps) expect(count(calls, step.callId)).toBe(count(steps, step.callId));
    expect(new Set(calls.map((record) => record.decision))).toEqual(new Set(['allow', 'deny', 'error']));
    for (const record of calls) {
      expect(record).toMatchObject({
        requester: 'bob',
        agent: app.agentId,
        mode: 'user',
        threadId: THREAD,
        runId: adversarial.id,
        resource: expect.stringMatching(/^tool:/),
      });
      expect(record.argsHash).toMatch(/^[0-9a-f]{64}$/);
      expect(Array.isArray(record.policies)).toBe(true);
      if (record.decision === 'allow') {
        expect(record.resultHash).toMatch(/^[0-9a-f]{64}$/);
        expect(record.policies).toEqual(expect.arrayContaining(['thread-members-invoke-agent', 'users-use-tools']));
      } else expect(record.reason).toBeTruthy();
    }
    // Every tool execution is one of the allowed (or failed) calls, hashed as the model sent it.
    const executions = tools.executions.filter((entry) => entry.runId === adversarial.id);
    expect(executions.length).toBeGreaterThan(50);
    for (const execution of executions) {
      const records = calls.filter(
        (candidate) => candidate.callId === execution.callId && candidate.argsHash === hashValue(execution.input),
      );
      expect(records.length).toBeGreaterThan(0);
      if (execution.output)
        expect(records.some((record) => record.resultHash === hashValue(execution.output?.content))).toBe(true);
    }
  });

  it('I6: every data access and retrieval has its own record, named after the human', async () => {
    const records = await auditOfRun(app, adversarial.id);
    const executions = tools.executions.filter((entry) => entry.runId === adversarial.id && entry.output);
    for (const execution of executions) {
      const accesses = records.filter((record) => record.callId === execution.callId && record.action !== 'tool.call');
      // One record per access the tool reports, plus, for a write, the one committed before it ran.
      const writes = app.registry.get(execution.tool)?.effect === 'write' ? 1 : 0;
      expect(accesses).toHaveLength((execution.output?.accesses?.length ?? 0) + writes);
      if (execution.tool === 'sql') expect(accesses.map((record) => record.action)).toEqual(['data.query']);
      if (execution.tool === 'get_document')
        expect(accesses.map((record) => record.action)).toEqual(['document.retrieve']);
    }
    expect(records.filter((record) => record.action === 'data.query').length).toBeGreaterThan(5);
    expect(records.filter((record) => record.action === 'document.retrieve').length).toBeGreaterThan(5);
    // A refused retrieval is the denied call's one record, naming the document.
    for (const document of ['doc-board-deck', 'doc-comp-bands', 'doc-outage-postmortem']) {
      const refused = records.filter(
        (record) =>
          record.action === 'tool.call' &&
          record.decision === 'deny' &&
          record.reason?.includes(`No document ${document} `),
      );
      expect(refused.length, document).toBeGreaterThan(0);
    }
    for (const record of records) expect(record.requester).toBe('bob');
  });

  it('I6: unknown tools and unparsable arguments are denied and audited, and never crash the run', async () => {
    const records = await auditOfRun(app, adversarial.id);
    for (const name of UNKNOWN_TOOL_NAMES) {
      const denied = records.filter((record) => record.resource === `tool:${name}`);
      expect(denied.length, name).toBeGreaterThan(0);
      for (const record of denied) expect(record.decision).toBe('deny');
    }
    expect(records.some((record) => /not json|JSON/i.test(record.reason ?? '') && record.decision === 'deny')).toBe(
      true,
    );
  });

  it('I6: audit records carry hashes, never raw arguments, results or secrets', async () => {
    const text = JSON.stringify(await auditOfRun(app, adversarial.id));
    expect(text).not.toContain(STOLEN_JWT);
    expect(text).not.toContain('A'.repeat(200));
    expect(text).not.toContain('"salary"');
    expect(text).not.toMatch(/\b98000\b/);
    for (const document of ACME_DOCUMENTS) expect(text).not.toContain(document.body.slice(20, 80));
    expect(text).not.toContain('IMPORTANT SYSTEM INSTRUCTION');
  });

  it('I6: approvals, disclosure decisions and declassifications each write exactly one record', async () => {
    const all = await app.store.audit.query({});
    for (const approval of decided) {
      expect(
        all.filter((record) => record.action === 'approval.decide' && record.callId === approval.callId),
      ).toHaveLength(1);
    }
    expect(decided.length).toBeGreaterThan(0);
    const done = await app.store.runs.listByStatus(['done']);
    for (const run of done)
      expect(all.filter((record) => record.action === 'disclosure.decide' && record.runId === run.id)).toHaveLength(1);
    const answer = await app.store.messages.get(adversarial.answerMessageId as string);
    const before = all.filter((record) => record.action === 'message.share').length;
    await app.sharing.share('bob', answer?.id as string).catch(() => undefined);
    const shares = (await app.store.audit.query({ action: 'message.share' })).slice(before);
    expect(shares).toHaveLength(1);
    expect(shares[0]).toMatchObject({ requester: 'bob', resource: `message:${answer?.id}` });
    expect(await verifyChain(app.store.audit)).toMatchObject({ ok: true });
  });

  it('I6: when the audit store cannot write, no run starts', async () => {
    const broken = breakAudit();
    const executed = tools.executions.length;
    try {
      const refused = await app
        .postMessage('carol', THREAD, '@agent show me the incidents')
        .catch((error: unknown) => error);
      expect(isAppError(refused) && refused.code).toBe('audit_unavailable');
      await app.drain();
    } finally {
      broken.restore();
    }
    expect(tools.executions.length).toBe(executed);
    expect(
      await app.store.runs.listByStatus(['queued', 'running', 'awaiting_approval', 'done', 'failed'], {
        requesterId: 'carol',
      }),
    ).toEqual([]);
  });

  it("I6: when the audit store fails during a call, the tool's result never reaches the model and no answer is delivered", async () => {
    let broken: { restore(): void } | undefined;
    tools.beforeExecute = (tool) => {
      if (tool === 'sql') broken ??= breakAudit();
      return undefined;
    };
    route = () =>
      createScriptedModel((_prompt, step) =>
        step === 0
          ? [{ type: 'tool-call', toolName: 'sql', input: { query: 'SELECT id, title FROM incidents' } }]
          : [{ type: 'text', text: 'Incidents: INC-101' }],
      );
    const seen = events.length;
    try {
      const { run } = await app.postMessage('carol', THREAD, '@agent incidents, audited');
      if (!run) throw new Error('no run');
      const finished = await waitForStatus(app, run.id, ['done', 'failed', 'cancelled']);
      broken?.restore();
      await app.drain();
      expect(finished.status).toBe('failed');
      expect(tools.executions.filter((entry) => entry.runId === run.id)).toHaveLength(1);
      // The model never got a second step, so it never saw the rows.
      expect(model.calls.filter((call) => call.request === 'incidents, audited')).toHaveLength(1);
      const answers = events
        .slice(seen)
        .flatMap((event) =>
          event.type === 'message-created' && event.message.runId === run.id ? [event.message] : [],
        );
      for (const message of answers) {
        expect(message.audience).toEqual({ kind: 'users', users: ['carol'] });
        expect(message.text).not.toContain('INC-101');
      }
    } finally {
      tools.beforeExecute = undefined;
      broken?.restore();
    }
  });

  it('I6: when the audit store cannot write, a write tool never executes, even with a standing approval', async () => {
    route = () =>
      createScriptedModel((_prompt, step) =>
        step === 0
          ? [{ type: 'tool-call', toolName: 'create_ticket', input: TICKET }]
          : [{ type: 'text', text: 'filed' }],
      );
    decideApproval = () => ({ approve: true, always: true });
    const first = await ask(app, 'bob', THREAD, '@agent file the drill ticket');
    decideApproval = () => ({ approve: false });
    const filed = tools.executions.filter((entry) => entry.runId === first.run.id && entry.output);
    expect(filed).toHaveLength(1);
    // bob's approval, then the write's own record committed before it ran, then the call's record.
    const actions = (await auditOfRun(app, first.run.id))
      .filter((record) => record.callId === filed[0]?.callId)
      .map((record) => `${record.action}:${record.decision}`);
    expect(actions).toEqual(['approval.decide:allow', 'data.write:allow', 'tool.call:allow']);
    expect(await app.store.approvals.hasStanding('bob', 'create_ticket')).toBe(true);

    let broken: { restore(): void } | undefined;
    pause = (call) => {
      if (call.request === 'file it again' && call.step === 0) broken ??= breakAudit();
    };
    try {
      const { run } = await app.postMessage('bob', THREAD, '@agent file it again');
      if (!run) throw new Error('no run');
      const finished = await waitForStatus(app, run.id, ['done', 'failed', 'cancelled']);
      broken?.restore();
      await app.drain();
      expect(finished.status).toBe('failed');
      expect(tools.executions.filter((entry) => entry.runId === run.id)).toEqual([]);
      const { rows } = await app.source.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM tickets WHERE title = $1',
        [TICKET.title],
      );
      expect(rows[0]?.n).toBe(1);
    } finally {
      pause = undefined;
      broken?.restore();
    }
  });

  it('I6: when the audit store cannot write, an approval does not take effect', async () => {
    route = () =>
      createScriptedModel((_prompt, step) =>
        step === 0
          ? [{ type: 'tool-call', toolName: 'create_ticket', input: TICKET }]
          : [{ type: 'text', text: 'filed' }],
      );
    let broken: { restore(): void } | undefined;
    let outcome: unknown;
    let approvalId = '';
    decideApproval = () => undefined;
    const stop = app.events.subscribe((event) => {
      if (event.type !== 'approval-requested' || event.approval.requesterId !== 'carol') return;
      approvalId = event.approval.id;
      setTimeout(async () => {
        broken = breakAudit();
        outcome = await app.agent.approvals
          .decide('carol', event.approval.id, { approve: true, always: true })
          .catch((error: unknown) => error);
        broken?.restore();
      }, 0);
    });
    try {
      const { run } = await ask(app, 'carol', THREAD, '@agent file a drill ticket for me');
      expect(isAppError(outcome) && outcome.code).toBe('audit_unavailable');
      expect(await app.store.approvals.hasStanding('carol', 'create_ticket')).toBe(false);
      expect(tools.executions.filter((entry) => entry.runId === run.id)).toEqual([]);
      // The request then expired unanswered: closed as declined, and the run went on without it.
      expect((await app.store.approvals.get(approvalId))?.status).toBe('denied');
      expect(run.status).toBe('done');
    } finally {
      stop();
      broken?.restore();
    }
  });
});
