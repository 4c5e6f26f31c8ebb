import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_THREAD } from '../../test/support/example-workspace.ts';
import { createTestApp, type TestApp } from '../../test/support/test-app.ts';
import type { AuditRecord } from '../audit/types.ts';
import { ManualClock } from '../shared/clock.ts';
import { formatGovernanceProgress, formatGovernanceReport } from './format-report.ts';
import { computeGovernanceReport } from './governance-report.ts';
import type { GovernanceProgress, GovernanceReport, ThreadOutcomes } from './types.ts';

/**
 * The SPEC §9 scenario on the example workspace with the offline model:
 * - Q3 planning (alice, bob, carol): LCD = no group; union = engineering, hr, managers, sales, sales-emea.
 * - HR review (alice, dana): LCD = no group; union = execs, finance, hr, managers.
 * - Sales pipeline (erin, bob, gus): LCD = sales; union = execs, managers, sales, sales-apac, sales-emea.
 * - Eng sync (frank, carol), self-authorized with agentGroups engineering: not replayed.
 * - Offsite (dana, ivy): no run, one `converse` intent.
 */
describe('governance report (SPEC §9) on a deployment of the example workspace', () => {
  let app: TestApp;
  let report: GovernanceReport;
  let records: AuditRecord[];
  const progress: GovernanceProgress[] = [];
  const threads = { q3: EXAMPLE_THREAD.id, hr: '', sales: '', eng: '', offsite: '' };

  beforeAll(async () => {
    app = await createTestApp();
    threads.hr = (await app.threads.create('alice', { title: 'HR review', members: ['dana'] })).id;
    threads.sales = (await app.threads.create('erin', { title: 'Sales pipeline', members: ['bob', 'gus'] })).id;
    threads.eng = (await app.threads.create('frank', { title: 'Eng sync', members: ['carol'] })).id;
    await app.threads.update('frank', threads.eng, { mode: 'self', agentId: 'eng-assistant' });
    threads.offsite = (await app.threads.create('dana', { title: 'Offsite', members: ['ivy'] })).id;
    const asks: Array<[string, string, string]> = [
      ['bob', threads.q3, '@agent /sql SELECT * FROM deals'],
      [
        'alice',
        threads.q3,
        '@agent /sql SELECT e.name, c.salary, c.bonus FROM compensation c JOIN employees e ON e.id = c.employee_id',
      ],
      ['carol', threads.q3, '@agent /search handbook'],
      ['carol', threads.q3, '@agent /sql SELECT * FROM incidents'],
      [
        'dana',
        threads.hr,
        '@agent /sql SELECT e.name, c.salary, c.bonus FROM compensation c JOIN employees e ON e.id = c.employee_id',
      ],
      ['alice', threads.hr, '@agent /sql SELECT * FROM deals'],
      ['gus', threads.sales, '@agent /sql SELECT * FROM deals'],
      ['erin', threads.sales, '@agent /sql SELECT * FROM deals'],
      ['bob', threads.sales, '@agent /search pipeline'],
      ['gus', threads.sales, '@agent /search pipeline'],
      ['carol', threads.eng, '@agent /sql SELECT * FROM incidents'],
    ];
    // One run at a time, so the log's order (and every seq) is the same on every run of the test.
    for (const [user, threadId, text] of asks) {
      await app.postMessage(user, threadId, text);
      await app.drain();
    }
    records = await app.store.audit.scan(0, 10_000);
    report = await computeGovernanceReport({
      store: app.store,
      policy: app.policy,
      registry: app.registry,
      clock: new ManualClock(),
      pageSize: 7,
      onProgress: (step) => progress.push(step),
    });
  });
  afterAll(async () => {
    await app?.close();
  });

  const outcomesOf = (threadId: string) =>
    report.outcomes.threads.find((entry) => entry.thread.id === threadId) as ThreadOutcomes;
  /** The one record matching, to name the example the report must give. */
  const seqOf = (requester: string, threadId: string, action: string, resource: string) => {
    const found = records.filter(
      (record) =>
        record.requester === requester &&
        record.threadId === threadId &&
        record.action === action &&
        record.resource === resource,
    );
    expect(found).toHaveLength(1);
    return (found[0] as AuditRecord).seq;
  };

  it('counts one identity per member set × intent, with LCD and union groups', () => {
    expect(report.identities.selfAuthorized).toBe(12);
    expect(report.identities.userAuthorized).toBe(0);
    const sets = Object.fromEntries(
      report.identities.memberSets.map((set) => [
        set.key,
        { intents: set.intents.map((intent) => intent.key), lcd: set.lcdGroups, union: set.unionGroups },
      ]),
    );
    expect(sets).toEqual({
      'alice+bob+carol': {
        intents: [
          'search_documents/public',
          'sql/engineering-internal',
          'sql/hr-confidential',
          'sql/public',
          'sql/sales-pipeline',
        ],
        lcd: [],
        union: ['engineering', 'hr', 'managers', 'sales', 'sales-emea'],
      },
      'alice+dana': {
        intents: ['sql/hr-confidential', 'sql/public'],
        lcd: [],
        union: ['admins', 'execs', 'finance', 'hr', 'managers'],
      },
      'bob+erin+gus': {
        intents: ['search_documents/public', 'search_documents/sales-pipeline', 'sql/sales-pipeline'],
        lcd: ['sales'],
        union: ['execs', 'managers', 'sales', 'sales-apac', 'sales-emea'],
      },
      'carol+frank': {
        intents: ['sql/engineering-internal'],
        lcd: ['engineering'],
        union: ['engineering', 'managers'],
      },
      'dana+ivy': { intents: ['converse'], lcd: [], union: ['admins', 'auditors', 'execs', 'finance'] },
    });
    const sales = report.identities.memberSets.find((set) => set.key === 'bob+erin+gus');
    expect(sales?.unionOnlyGroups).toEqual(['execs', 'managers', 'sales-apac', 'sales-emea']);
    expect(sales?.threads.map((thread) => thread.id)).toEqual([threads.sales]);
  });

  it('replays user-mode accesses and counts capability lost and over-privilege, overall and per thread', () => {
    const { outcomes } = report;
    // 10 user-mode runs: 10 tool calls + 10 data accesses; Eng sync's 2 self-mode accesses are skipped.
    expect(outcomes.replayed).toBe(20);
    expect(outcomes.skipped).toBe(2);
    expect([outcomes.lcd.capabilityLost, outcomes.lcd.overPrivileged]).toEqual([7, 0]);
    expect([outcomes.union.capabilityLost, outcomes.union.overPrivileged]).toEqual([0, 4]);
    const counts = (threadId: string) => {
      const entry = outcomesOf(threadId);
      return [entry.replayed, entry.lcd.capabilityLost, entry.union.overPrivileged];
    };
    expect(counts(threads.q3)).toEqual([8, 3, 1]);
    expect(counts(threads.hr)).toEqual([4, 1, 1]);
    expect(counts(threads.sales)).toEqual([8, 3, 2]);
    expect(counts(threads.eng)).toEqual([0, 0, 0]);
    expect(counts(threads.offsite)).toEqual([0, 0, 0]);
  });

  it("names bob's EMEA deals as capability lost for Q3 planning's LCD identity (no group at all)", () => {
    const seq = seqOf('bob', threads.q3, 'data.query', 'sql:deals');
    const example = {
      kind: 'capability-lost',
      seq,
      requester: 'bob',
      threadId: threads.q3,
      action: 'data.query',
      resource: 'sql:deals',
      subjects: ['sales-pipeline:emea'],
    };
    expect(report.outcomes.lcd.examples).toContainEqual(example);
    expect(outcomesOf(threads.q3).lcd.examples).toContainEqual(example);
    // The tool call itself is no difference: policy lets any agent identity use the sql tool.
    const toolCall = seqOf('bob', threads.q3, 'tool.call', 'tool:sql');
    expect(report.outcomes.lcd.examples.map((item) => item.seq)).not.toContain(toolCall);
    const lost = outcomesOf(threads.q3).lcd.examples.map((item) => [item.requester, item.subjects]);
    expect(lost).toEqual([
      ['bob', ['sales-pipeline:emea']],
      ['alice', ['hr-confidential']],
      ['carol', ['engineering-internal']],
    ]);
  });

  it("shows the union identity as a confused deputy: gus's request would reach every region", () => {
    const union = outcomesOf(threads.sales).union.examples;
    expect(union).toEqual([
      {
        kind: 'over-privileged',
        seq: seqOf('gus', threads.sales, 'data.query', 'sql:deals'),
        requester: 'gus',
        threadId: threads.sales,
        action: 'data.query',
        resource: 'sql:deals',
        subjects: ['sales-pipeline:amer', 'sales-pipeline:emea'],
      },
      {
        kind: 'over-privileged',
        seq: seqOf('gus', threads.sales, 'document.retrieve', 'document:doc-emea-pipeline'),
        requester: 'gus',
        threadId: threads.sales,
        action: 'document.retrieve',
        resource: 'document:doc-emea-pipeline',
        subjects: ['document:doc-emea-pipeline'],
      },
    ]);
    // Union of alice (managers) and bob (sales): "sales managers" clearance nobody in Q3 holds alone.
    expect(outcomesOf(threads.q3).union.examples).toEqual([
      expect.objectContaining({ requester: 'bob', subjects: ['sales-pipeline:amer', 'sales-pipeline:apac'] }),
    ]);
    // Dana's groups would let alice, who sees no deal herself, read the whole pipeline.
    expect(outcomesOf(threads.hr).union.examples).toEqual([
      expect.objectContaining({
        seq: seqOf('alice', threads.hr, 'data.query', 'sql:deals'),
        subjects: ['sales-pipeline:amer', 'sales-pipeline:apac', 'sales-pipeline:emea'],
      }),
    ]);
  });

  it('counts audit records that could not name a human', () => {
    const count = (predicate: (record: AuditRecord) => boolean, threadId?: string) =>
      records.filter((record) => (threadId === undefined || record.threadId === threadId) && predicate(record)).length;
    const { audit } = report;
    expect(audit.total).toBe(records.length);
    expect(audit.system).toBe(1); // the seed
    expect(audit.selfModeClaims).toBe(count((record) => record.mode === 'self'));
    expect(audit.selfModeClaims).toBeGreaterThan(0);
    const loses = (record: AuditRecord) => record.agent !== null && record.mode === 'user';
    expect(audit.wouldLoseHuman).toBe(count(loses));
    expect(audit.withoutHumanToday).toBe(audit.system + audit.selfModeClaims);
    expect(audit.withoutHumanSelfAuthorized).toBe(audit.system + count((record) => record.agent !== null));
    expect(audit.agentByMode).toEqual({
      user: audit.wouldLoseHuman,
      self: audit.selfModeClaims,
      direct: count((record) => record.agent !== null && record.mode === 'direct'),
    });
    const perThread = Object.fromEntries(audit.threads.map((entry) => [entry.thread.id, entry]));
    expect(perThread[threads.eng]).toMatchObject({
      wouldLoseHuman: 0,
      selfModeClaims: count((record) => record.mode === 'self', threads.eng),
    });
    expect(perThread[threads.q3]?.wouldLoseHuman).toBe(count(loses, threads.q3));
    expect(perThread[threads.offsite]).toMatchObject({ total: 1, withoutHumanSelfAuthorized: 0 });
  });

  it('gives plot-ready series aligned on threads, and the designs side by side', () => {
    const { series } = report;
    const at = (key: string, threadId: string) =>
      series.metrics.find((metric) => metric.key === key)?.values[series.threadIds.indexOf(threadId)];
    expect(series.categories).toHaveLength(5);
    expect(
      [threads.q3, threads.hr, threads.sales, threads.eng, threads.offsite].map((id) => at('identities', id)),
    ).toEqual([5, 2, 3, 1, 1]);
    expect(at('capabilityLost', threads.sales)).toBe(3);
    expect(at('overPrivileged', threads.sales)).toBe(2);
    expect(at('recordsWithoutHumanToday', threads.eng)).toBe(
      report.audit.threads.find((e) => e.thread.id === threads.eng)?.withoutHumanToday,
    );
    expect(
      series.designs.map((design) => [design.design, design.identities, design.capabilityLost, design.overPrivileged]),
    ).toEqual([
      ['user-authorized', 0, 0, 0],
      ['self-authorized-lcd', 12, 7, 0],
      ['self-authorized-union', 12, 0, 4],
    ]);
    expect(series.designs[0]?.recordsWithoutHuman).toBe(1);
    expect(report.generatedAt).toBe(new ManualClock().now());
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('reads the log in pages with progress, and pages do not change the result', async () => {
    const scans = progress.filter((step) => step.phase === 'scan');
    const replays = progress.filter((step) => step.phase === 'replay');
    expect(scans.length).toBe(Math.ceil(records.length / 7));
    expect(scans.at(-1)).toEqual({ phase: 'scan', done: records.length, total: records.length });
    expect(replays.at(-1)).toEqual({ phase: 'replay', done: records.length, total: records.length });
    expect(formatGovernanceProgress(scans[0] as GovernanceProgress)).toBe(
      `scanning audit log: 7/${records.length} records`,
    );
    const again = await computeGovernanceReport({
      store: app.store,
      policy: app.policy,
      registry: app.registry,
      clock: new ManualClock(),
    });
    expect(again).toEqual(report);
  });

  it('without a registry, counts the tools the log shows and skips tool-use decisions', async () => {
    const bare = await computeGovernanceReport({ store: app.store, policy: app.policy, clock: new ManualClock() });
    expect(bare.deployment.tools).toBeNull();
    expect(report.deployment.tools).toEqual([
      'create_ticket',
      'get_document',
      'read_context_item',
      'recall',
      'remember',
      'search_documents',
      'sql',
    ]);
    expect(bare.identities).toEqual(report.identities);
    expect(bare.outcomes).toEqual(report.outcomes);
  });

  it('renders aligned terminal tables with totals', () => {
    const text = formatGovernanceReport(report);
    expect(text).toMatch(/^User-authorized \(Behalf\)\s+0\s+0\s+0\s+1$/m);
    expect(text).toMatch(/^Self-authorized, LCD groups\s+12\s+7\s+0\s+\d+$/m);
    expect(text).toMatch(/^bob\+erin\+gus\s+Sales pipeline\s+3\s+sales\s+execs, managers/m);
    expect(text).toMatch(/^Total\s+20\s+7\s+0\s+0\s+4$/m);
    expect(text).toMatch(/capability-lost\s+#\d+\s+Q3 planning\s+bob\s+data\.query\s+sql:deals\s+sales-pipeline:emea/);
    // Every row of the outcomes table puts its numbers in the header's columns.
    const lines = text.split('\n');
    const header = lines.findIndex((line) => line.startsWith('Thread          Replayed'));
    const end = (line: string) => line.length;
    for (const line of lines.slice(header + 2, header + 8)) expect(end(line)).toBe(end(lines[header] as string));
  });

  it('decides with the policy set in force: clearing sales for every region removes the LCD losses there', async () => {
    const before = app.policy.policies();
    await app.policy.update({
      ...before,
      'label-sales-pipeline-sales': `@id("label-sales-pipeline-sales")
permit (principal, action == Action::"readLabel", resource is Label)
when { resource.kind == "sales-pipeline:{region}" && principal in Group::"sales" };`,
    });
    try {
      const changed = await computeGovernanceReport({ store: app.store, policy: app.policy, registry: app.registry });
      const sales = changed.outcomes.threads.find((entry) => entry.thread.id === threads.sales);
      expect(sales?.lcd.capabilityLost).toBe(0);
      // Humans in sales are now cleared for every region: nothing left for the union to over-grant.
      expect(sales?.union.overPrivileged).toBe(0);
      expect(changed.deployment.policyVersion).toBe(app.policy.version);
    } finally {
      await app.policy.update({ ...before });
    }
  });
});
