import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../src/protocol/errors.ts';
import type { AdminAccessResponse, AdminDecisionWire, AdminWorkspaceResponse } from '../../src/protocol/wire.ts';
import { createHttpFixture, type HttpFixture, type SignedIn } from './http-fixture.ts';

/**
 * Issue 9 point 7: the administrator's page over the served workspace (Acme, whose `admins`
 * group holds dana). Sources with their tables and labels, the label catalogue with who the real
 * policies clear and who may declassify, agent identities, policies, doctor's findings; and
 * "would this person be allowed…" decisions through the policy engine, each one audited.
 */
describe('the administrator’s page API (issue 9.7)', () => {
  let f: HttpFixture;
  let dana: SignedIn;
  let bob: SignedIn;
  /** The policies that cleared alice for hr-confidential (recorded in the audit log too). */
  let hrPolicies: string[] = [];

  beforeAll(async () => {
    f = await createHttpFixture();
    [dana, bob] = await Promise.all([f.signIn('dana'), f.signIn('bob')]);
  }, 60_000);
  afterAll(() => f.close());

  const decide = (as: SignedIn | { cookie: SignedIn; csrf?: string | null }, body: unknown) =>
    f.call('POST', '/api/admin/decide', { as, body });

  it('tells the web app who administers the workspace', async () => {
    const asDana = (await (await f.call('GET', '/api/admin/access', { as: dana })).json()) as AdminAccessResponse;
    expect(asDana).toEqual({ admin: true, workspace: 'Acme' });
    const asBob = (await (await f.call('GET', '/api/admin/access', { as: bob })).json()) as AdminAccessResponse;
    expect(asBob).toEqual({ admin: false, workspace: 'Acme' });
    expect((await f.call('GET', '/api/admin/access')).status).toBe(401);
  });

  it('refuses people outside the admins groups (403 forbidden) and anonymous requests (401)', async () => {
    const overview = await f.call('GET', '/api/admin/workspace', { as: bob });
    expect(overview.status).toBe(403);
    expect(((await overview.json()) as ErrorBody).error.code).toBe('forbidden');
    const decision = await decide(bob, { principal: 'bob', action: 'readLabel', resource: 'label:hr-confidential' });
    expect(decision.status).toBe(403);
    expect(((await decision.json()) as ErrorBody).error).toMatchObject({ code: 'forbidden' });
    expect((await f.call('GET', '/api/admin/workspace')).status).toBe(401);
    expect((await f.call('POST', '/api/admin/decide', { body: {} })).status).toBe(401);
  });

  it('lists sources with tables and labels, the catalogue with who is cleared, agents, policies and findings', async () => {
    const response = await f.call('GET', '/api/admin/workspace', { as: dana });
    expect(response.status).toBe(200);
    const body = (await response.json()) as AdminWorkspaceResponse;
    expect(body.workspace).toMatchObject({ name: 'Acme', admins: ['admins'] });

    const [acme] = body.sources;
    expect(acme).toMatchObject({
      name: 'acme',
      tool: 'sql',
      identity: { convention: 'settings', role: 'acme_reader' },
    });
    expect(JSON.stringify(body.sources)).not.toContain('pglite:');
    expect(acme?.tables.find((table) => table.name === 'compensation')?.labels).toEqual(['hr-confidential']);
    expect(acme?.tables.find((table) => table.name === 'deals')?.labels).toEqual(['sales-pipeline:{region}']);

    const hr = body.labels.find((label) => label.id === 'hr-confidential');
    expect(hr).toMatchObject({ readers: ['hr', 'finance'], stewards: ['hr'], parameters: [] });
    expect(hr?.clearance).toEqual([{ label: 'hr-confidential', cleared: ['alice', 'dana'], stewards: ['alice'] }]);
    const everyone = ['alice', 'bob', 'carol', 'dana', 'erin', 'frank', 'gus', 'ivy'];
    expect(body.labels.find((label) => label.id === 'public')?.clearance[0]?.cleared).toEqual(everyone);

    // A parameterized label is decided for each value its audience's groups name.
    const pipeline = body.labels.find((label) => label.id === 'sales-pipeline:{region}');
    expect(pipeline?.parameters).toEqual(['region']);
    expect(pipeline?.clearance.map((entry) => entry.label)).toEqual(['sales-pipeline:apac', 'sales-pipeline:emea']);
    const emea = pipeline?.clearance.find((entry) => entry.label === 'sales-pipeline:emea');
    expect(emea?.cleared).toEqual(expect.arrayContaining(['bob', 'dana', 'erin']));
    expect(emea?.cleared).not.toContain('gus');
    expect(emea?.stewards).not.toContain('bob');

    expect(body.agents.map((agent) => agent.id)).toContain('eng-assistant');
    const policyText = body.policies.map((policy) => policy.text).join('\n');
    expect(policyText).toContain('Action::"readLabel"');
    expect(Array.isArray(body.findings)).toBe(true);
    for (const finding of body.findings) {
      expect(['error', 'warning']).toContain(finding.severity);
      expect(finding.fix.length).toBeGreaterThan(0);
    }
  });

  it('decides through the real policies: alice may read hr-confidential, bob may not', async () => {
    const allowed = await decide(
      { cookie: dana },
      { principal: 'alice', action: 'readLabel', resource: 'label:hr-confidential' },
    );
    expect(allowed.status).toBe(200);
    const allowedBody = (await allowed.json()) as AdminDecisionWire;
    expect(allowedBody).toMatchObject({
      principal: 'alice',
      action: 'readLabel',
      resource: 'Label::"hr-confidential"',
      viaAgent: false,
      effect: 'allow',
    });
    // The policies that made it, each in force (listed on the page) with its reason.
    expect(allowedBody.policies.length).toBeGreaterThan(0);
    expect(allowedBody.reasons).toHaveLength(allowedBody.policies.length);
    expect(allowedBody.reasons.join(' ')).toContain('hr-confidential');
    const overview = (await (
      await f.call('GET', '/api/admin/workspace', { as: dana })
    ).json()) as AdminWorkspaceResponse;
    const inForce = overview.policies.map((policy) => policy.text).join('\n');
    for (const id of allowedBody.policies) expect(inForce).toContain(`@id("${id}")`);
    hrPolicies = allowedBody.policies;

    const denied = (await (
      await decide(dana, { principal: 'bob', action: 'readLabel', resource: 'hr-confidential' })
    ).json()) as AdminDecisionWire;
    expect(denied).toMatchObject({ effect: 'deny', policies: [], resource: 'Label::"hr-confidential"' });
    expect(denied.reasons[0]).toMatch(/No policy allows bob/);

    const forbidden = (await (
      await decide(dana, { principal: 'carol', action: 'declassifyLabel', resource: 'label:nonsense' })
    ).json()) as AdminDecisionWire;
    expect(forbidden).toMatchObject({ effect: 'deny' });

    const tool = (await (
      await decide(dana, { principal: 'carol', action: 'useTool', resource: 'Tool::"sql"', viaAgent: true })
    ).json()) as AdminDecisionWire;
    expect(tool).toMatchObject({ effect: 'allow', resource: 'Tool::"sql"', viaAgent: true });
    expect(tool.policies.length).toBeGreaterThan(0);

    const audit = (await (
      await decide(dana, { principal: 'ivy', action: 'readAuditLog', resource: 'auditlog' })
    ).json()) as AdminDecisionWire;
    expect(audit).toMatchObject({ effect: 'allow', resource: 'AuditLog::"global"' });
  });

  it('refuses malformed requests with 400 and the protocol’s error shape', async () => {
    const cases: Array<{ body: unknown; code: string }> = [
      { body: { principal: 'alice', action: 'fly', resource: 'label:public' }, code: 'validation_failed' },
      { body: { principal: 'alice', action: 'readLabel' }, code: 'validation_failed' },
      {
        body: { principal: 'alice', action: 'readLabel', resource: 'label:public', extra: 1 },
        code: 'validation_failed',
      },
      { body: { principal: 'alice', action: 'readLabel', resource: 'tool:sql' }, code: 'validation_failed' },
      { body: { principal: 'alice', action: 'useTool', resource: 'two words' }, code: 'validation_failed' },
      { body: { principal: 'nobody', action: 'readLabel', resource: 'label:public' }, code: 'validation_failed' },
      { body: '{not json', code: 'bad_request' },
    ];
    for (const { body, code } of cases) {
      const response = await decide(dana, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      const error = ((await response.json()) as ErrorBody).error;
      expect(error.code, JSON.stringify(body)).toBe(code);
      expect(typeof error.message).toBe('string');
    }
    const wrongType = await decide(dana, { principal: 'alice', action: 'readLabel', resource: 'tool:sql' });
    expect(((await wrongType.json()) as ErrorBody).error.message).toMatch(/readLabel applies to a Label/);
  });

  it('any resource, person or action text → a clean decision or a 4xx with the error shape, never a 500', async () => {
    const weird = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 60 }),
      fc.constantFrom('label:', 'Label::"', 'Label::""', 'tool::"sql', ':x', 'auditlog:', 'AgentDirectory', '\ud800'),
      fc
        .constantFrom('label', 'tool', 'thread', 'agent', 'document', 'message')
        .chain((type) => fc.string({ maxLength: 20 }).map((id) => `${type}:${id}`)),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('readLabel', 'useTool', 'readAuditLog', 'assignAgent', 'readThread', 'fly'),
        fc.oneof(fc.constantFrom('alice', 'bob', 'nobody', '__proto__'), fc.string({ maxLength: 10 })),
        weird,
        async (action, principal, resource) => {
          const response = await decide(dana, { principal, action, resource });
          const text = await response.text();
          expect(response.status, `${principal} ${action} ${resource} → ${text}`).toBeLessThan(500);
          if (response.status >= 400) {
            expect(response.status).toBe(400);
            const body = JSON.parse(text) as ErrorBody;
            expect(typeof body.error.message).toBe('string');
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('writes an admin.decide audit record for every decision, refusals included', async () => {
    await decide(dana, { principal: 'bob', action: 'readLabel', resource: 'label:exec-confidential' });
    await decide(bob, { principal: 'bob', action: 'readLabel', resource: 'label:exec-confidential' });
    await f.app.drain();
    const records = await f.app.store.audit.query({ action: 'admin.decide', limit: 1000 });
    const danas = records.filter(
      (record) => record.requester === 'dana' && record.resource === 'label:exec-confidential',
    );
    expect(danas).toHaveLength(1);
    expect(danas[0]).toMatchObject({ mode: 'direct', decision: 'deny', agent: null });
    expect(danas[0]?.reason).toContain('would bob readLabel Label::"exec-confidential"');
    const allowedRecord = records.find(
      (record) =>
        record.requester === 'dana' && record.resource === 'label:hr-confidential' && record.decision === 'allow',
    );
    expect(allowedRecord?.policies).toEqual(hrPolicies);
    const bobs = records.filter((record) => record.requester === 'bob');
    expect(bobs).toHaveLength(2);
    expect(
      bobs.every((record) => record.decision === 'deny' && /not a workspace administrator/.test(record.reason ?? '')),
    ).toBe(true);
    const verify = await f.call('GET', '/api/audit/verify', { as: await f.signIn('ivy') });
    expect(((await verify.json()) as { ok: boolean }).ok).toBe(true);
  });
});

describe('without a served workspace', () => {
  let f: HttpFixture;
  beforeAll(async () => {
    f = await createHttpFixture({}, { workspace: false });
  }, 60_000);
  afterAll(() => f.close());

  it('there is no administrator page: every admin route is 404', async () => {
    const dana = await f.signIn('dana');
    for (const [method, path] of [
      ['GET', '/api/admin/access'],
      ['GET', '/api/admin/workspace'],
      ['POST', '/api/admin/decide'],
    ] as const) {
      const response = await f.call(method, path, {
        as: dana,
        ...(method === 'POST' ? { body: { principal: 'alice', action: 'readLabel', resource: 'label:public' } } : {}),
      });
      expect(response.status, path).toBe(404);
      expect(((await response.json()) as ErrorBody).error.code).toBe('not_found');
    }
  });
});
