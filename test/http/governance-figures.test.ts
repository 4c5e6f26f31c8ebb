import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GovernanceReport } from '../../src/governance/index.ts';
import { ACME_THREAD } from '../support/acme/demo.ts';
import { createHttpFixture, type HttpFixture } from './http-fixture.ts';

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

// Issue 11 point 6: the governance page's figures agree with each other — the summary, the
// charts and the tables are the same numbers, and the per-thread rows add up to the totals.
describe('governance report figures agree (issue 11.6)', () => {
  let f: HttpFixture;
  let report: GovernanceReport;

  beforeAll(async () => {
    f = await createHttpFixture({ agentInvocationsPerMinute: 1000 });
    const [alice, bob, ivy] = await Promise.all([f.signIn('alice'), f.signIn('bob'), f.signIn('ivy')]);
    const say = async (as: typeof alice, threadId: string, text: string) => {
      const response = await f.call('POST', `/api/threads/${threadId}/messages`, { as, body: { text } });
      expect(response.status).toBe(201);
      await f.app.drain();
    };
    await say(bob, ACME_THREAD.id, '@agent show me the open deals');
    await say(alice, ACME_THREAD.id, '@agent /sql SELECT employee_id, salary FROM compensation');
    const created = await f.call('POST', '/api/threads', {
      as: alice,
      body: { title: 'Hiring plan', members: ['dana'] },
    });
    const thread = (await created.json()) as { thread?: { id: string }; id?: string };
    const hiring = thread.thread?.id ?? thread.id ?? '';
    await say(alice, hiring, '@agent /sql SELECT name FROM employees');
    report = (await (await f.call('GET', '/api/governance', { as: ivy })).json()) as GovernanceReport;
  }, 60_000);
  afterAll(() => f.close());

  it('identities: the member-set table adds up to the summary and the chart', () => {
    expect(sum(report.identities.memberSets.map((set) => set.identities))).toBe(report.identities.selfAuthorized);
    for (const design of report.series.designs.filter((each) => each.design !== 'user-authorized')) {
      expect(design.identities).toBe(report.identities.selfAuthorized);
    }
  });

  it('outcomes: the per-thread rows add up to the summary and the chart', () => {
    const { outcomes } = report;
    expect(sum(outcomes.threads.map((row) => row.replayed))).toBe(outcomes.replayed);
    for (const design of ['lcd', 'union'] as const) {
      expect(sum(outcomes.threads.map((row) => row[design].capabilityLost))).toBe(outcomes[design].capabilityLost);
      expect(sum(outcomes.threads.map((row) => row[design].overPrivileged))).toBe(outcomes[design].overPrivileged);
    }
    const lcd = report.series.designs.find((design) => design.design === 'self-authorized-lcd');
    expect(lcd?.capabilityLost).toBe(outcomes.lcd.capabilityLost);
  });

  it('audit naming: thread rows plus records outside any thread add up to the total', () => {
    const { audit, deployment } = report;
    expect(deployment.auditRecords).toBe(audit.total);
    expect(sum(Object.values(audit.byMode))).toBe(audit.total);
    const inThreads = audit.threads.map((row) => row.total);
    expect(sum(inThreads) + audit.outsideThreads.total).toBe(audit.total);
    expect(
      sum(audit.threads.map((row) => row.withoutHumanSelfAuthorized)) + audit.outsideThreads.withoutHumanSelfAuthorized,
    ).toBe(audit.withoutHumanSelfAuthorized);
    expect(sum(audit.threads.map((row) => row.system)) + audit.outsideThreads.system).toBe(audit.system);
  });

  it('per-thread chart values are the table’s values', () => {
    const { series } = report;
    series.threadIds.forEach((threadId, index) => {
      const outcome = report.outcomes.threads.find((row) => row.thread.id === threadId);
      const naming = report.audit.threads.find((row) => row.thread.id === threadId);
      const metric = (key: string) => series.metrics.find((each) => each.key === key)?.values[index];
      expect(metric('capabilityLost')).toBe(outcome?.lcd.capabilityLost);
      expect(metric('overPrivileged')).toBe(outcome?.union.overPrivileged);
      expect(metric('recordsWithoutHumanSelfAuthorized')).toBe(naming?.withoutHumanSelfAuthorized);
    });
  });

  it('opens with a one-sentence conclusion built from the same figures', () => {
    expect(report.conclusion).toMatch(/^[^.]*\.$/);
    expect(report.conclusion).toContain(String(report.identities.selfAuthorized));
    expect(report.conclusion).toContain(String(report.outcomes.lcd.capabilityLost));
  });
});
