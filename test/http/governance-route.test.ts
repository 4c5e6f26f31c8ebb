import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GovernanceReport } from '../../src/governance/index.ts';
import { ACME_THREAD } from '../support/acme/demo.ts';
import { createHttpFixture, type HttpFixture, type SignedIn } from './http-fixture.ts';

async function errorCode(response: Response): Promise<string> {
  return ((await response.json()) as { error: { code: string } }).error.code;
}

describe('GET /api/governance (SPEC §9)', () => {
  let f: HttpFixture;
  let bob: SignedIn;
  let ivy: SignedIn;

  beforeAll(async () => {
    f = await createHttpFixture();
    [bob, ivy] = await Promise.all([f.signIn('bob'), f.signIn('ivy')]);
    await f.call('POST', `/api/threads/${ACME_THREAD.id}/messages`, {
      as: bob,
      body: { text: '@agent show me the open deals' },
    });
    await f.app.drain();
  });
  afterAll(async () => {
    await f.close();
  });

  it('gives auditors the report of this deployment, including the latest run', async () => {
    const response = await f.call('GET', '/api/governance', { as: ivy });
    expect(response.status).toBe(200);
    const report = (await response.json()) as GovernanceReport;
    expect(report.deployment.users).toBe(8);
    expect(report.deployment.auditRecords).toBe(await f.app.store.audit.count());
    expect(report.deployment.tools).toContain('sql');
    expect(report.series.categories).toContain(ACME_THREAD.title);
    expect(report.series.designs.map((design) => design.design)).toEqual([
      'user-authorized',
      'self-authorized-lcd',
      'self-authorized-union',
    ]);
    // bob's EMEA deals query is allowed for him and lost by an alice∩bob∩carol agent identity.
    expect(report.outcomes.replayed).toBeGreaterThan(0);
    expect(report.outcomes.lcd.capabilityLost).toBeGreaterThan(0);
  });

  it('refuses everyone else (403), unauthenticated callers (401) and unknown query parameters (400)', async () => {
    const asBob = await f.call('GET', '/api/governance', { as: bob });
    expect(asBob.status).toBe(403);
    expect(await errorCode(asBob)).toBe('forbidden');
    const anonymous = await f.call('GET', '/api/governance');
    expect(anonymous.status).toBe(401);
    const extra = await f.call('GET', '/api/governance?thread=x', { as: ivy });
    expect(extra.status).toBe(400);
    expect(await errorCode(extra)).toBe('validation_failed');
  });
});
