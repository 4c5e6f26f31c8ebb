import type { AuthorizationAnswer } from '@cedar-policy/cedar-wasm/nodejs';
import { describe, expect, it } from 'vitest';
import { interpretAnswer } from './cedar-decision.ts';
import type { PolicyFacts } from './policy-set.ts';

const facts = new Map<string, PolicyFacts>([
  ['members-read', { effect: 'permit', reason: 'Members may read' }],
  ['no-writes', { effect: 'forbid', reason: 'Writes need approval' }],
  ['no-reason', { effect: 'forbid' }],
]);
const subject = { principal: 'bob', action: 'readLabel', resource: 'hr-confidential' } as const;

function success(decision: 'allow' | 'deny', reason: string[], errors: string[] = []): AuthorizationAnswer {
  const error = (policyId: string) => ({
    policyId,
    error: { message: 'boom', help: null, code: null, url: null, severity: null },
  });
  return { type: 'success', response: { decision, diagnostics: { reason, errors: errors.map(error) } }, warnings: [] };
}

describe('interpretAnswer', () => {
  it('an allow names its permits and their reasons', () => {
    expect(interpretAnswer(success('allow', ['members-read']), facts, subject)).toEqual({
      decision: { effect: 'allow', policies: ['members-read'], reason: 'Members may read' },
      cacheable: true,
    });
  });

  it('a deny by forbid gives the forbid’s reason, or names it when it has none', () => {
    expect(interpretAnswer(success('deny', ['no-writes', 'no-reason']), facts, subject).decision).toEqual({
      effect: 'deny',
      policies: ['no-writes', 'no-reason'],
      reason: 'Writes need approval; Decided by policy no-reason',
    });
  });

  it('a default deny says who may not do what', () => {
    expect(interpretAnswer(success('deny', []), facts, subject).decision).toEqual({
      effect: 'deny',
      policies: [],
      reason: 'No policy allows bob to readLabel hr-confidential',
    });
  });

  it('an erroring forbid denies even when Cedar would allow, and is not memoized', () => {
    const interpreted = interpretAnswer(success('allow', ['members-read'], ['no-writes']), facts, subject);
    expect(interpreted.cacheable).toBe(false);
    expect(interpreted.decision).toMatchObject({ effect: 'deny', policies: ['no-writes'] });
    expect(interpreted.decision.reason).toMatch(/Policy evaluation failed: no-writes: boom/);
  });

  it('a request Cedar refuses is a deny with no policies', () => {
    const refused: AuthorizationAnswer = {
      type: 'failure',
      errors: [{ message: 'bad request', help: null, code: null, url: null, severity: null }],
      warnings: [],
    };
    expect(interpretAnswer(refused, facts, subject)).toEqual({
      decision: { effect: 'deny', policies: [], reason: 'Authorization request refused by Cedar: bad request' },
      cacheable: false,
    });
  });
});
