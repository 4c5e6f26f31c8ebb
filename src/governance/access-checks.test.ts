import { describe, expect, it } from 'vitest';
import { salesRecord } from '../../test/support/audit-fixtures.ts';
import type { AuditRecord } from '../audit/types.ts';
import { type AccessCheck, checksFor, isReplayable, type ReplayFacts } from './access-checks.ts';
import { compareChecks } from './replay-decisions.ts';

/** gus's query of the deals (APAC rows) in call c1, with `fields` over it. */
function record(fields: Partial<AuditRecord>): AuditRecord {
  return salesRecord({
    action: 'data.query',
    resource: 'sql:deals',
    labels: ['sales-pipeline:apac'],
    callId: 'c1',
    ...fields,
  });
}

const facts: ReplayFacts = {
  reachOf: (action, resource) =>
    action === 'data.query' && resource === 'sql:deals' ? ['sales-pipeline:apac', 'sales-pipeline:emea'] : [],
  callHasAccesses: (callId) => callId === 'c1',
  isRegisteredTool: (tool) => tool === 'sql' || tool === 'create_ticket',
};

describe('checksFor', () => {
  it('judges a SQL access on every label of the resource reach, marking those the human got', () => {
    expect(checksFor(record({}), facts)).toEqual([
      {
        subject: 'sales-pipeline:apac',
        got: true,
        requests: [{ action: 'readLabel', resource: { type: 'Label', id: 'sales-pipeline:apac' } }],
      },
      {
        subject: 'sales-pipeline:emea',
        got: false,
        requests: [{ action: 'readLabel', resource: { type: 'Label', id: 'sales-pipeline:emea' } }],
      },
    ]);
  });

  it('judges a document on its ACL and its label together', () => {
    const checks = checksFor(
      record({
        action: 'document.retrieve',
        resource: 'document:doc-x',
        decision: 'deny',
        labels: ['hr-confidential'],
      }),
      facts,
    );
    expect(checks).toEqual([
      {
        subject: 'document:doc-x',
        got: false,
        requests: [
          { action: 'readDocument', resource: { type: 'Document', id: 'doc-x' } },
          { action: 'readLabel', resource: { type: 'Label', id: 'hr-confidential' } },
        ],
      },
    ]);
  });

  it('judges a tool call on the gate, and on its labels only when it ran without reporting accesses', () => {
    const withAccesses = checksFor(record({ action: 'tool.call', resource: 'tool:sql' }), facts);
    expect(withAccesses.map((check) => check.subject)).toEqual(['tool:sql']);
    const ranAlone = checksFor(
      record({ action: 'tool.call', resource: 'tool:create_ticket', callId: 'c9', labels: ['engineering-internal'] }),
      facts,
    );
    expect(ranAlone.map((check) => [check.subject, check.got])).toEqual([
      ['tool:create_ticket', true],
      ['engineering-internal', true],
    ]);
    const refused = checksFor(
      record({ action: 'tool.call', resource: 'tool:nope', callId: 'c8', decision: 'deny', labels: undefined }),
      facts,
    );
    expect(refused).toEqual([]);
  });

  it('replays only user-mode accesses made for a human', () => {
    expect(isReplayable(record({}))).toBe(true);
    expect(isReplayable(record({ mode: 'self' }))).toBe(false);
    expect(isReplayable(record({ requester: null }))).toBe(false);
    expect(isReplayable(record({ action: 'disclosure.decide' }))).toBe(false);
  });
});

describe('compareChecks', () => {
  const check = (subject: string, got: boolean): AccessCheck => ({
    subject,
    got,
    requests: [{ action: 'readLabel', resource: { type: 'Label', id: subject } }],
  });
  const cleared =
    (...labels: string[]) =>
    async (request: { resource: { id: string } }) =>
      labels.includes(request.resource.id);

  it('finds what the human got and the identity would not, and what the identity would get the human may not', async () => {
    const checks = [check('a', true), check('b', false), check('c', false)];
    const [lcd, union] = await compareChecks(checks, cleared('a', 'c'), [cleared(), cleared('a', 'b', 'c')]);
    expect(lcd).toEqual({ lost: ['a'], gained: [] });
    // c: not got this time, but the human is cleared for it now, so the identity gains nothing there.
    expect(union).toEqual({ lost: [], gained: ['b'] });
  });
});
