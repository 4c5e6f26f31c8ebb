import { describe, expect, it } from 'vitest';
import { identityGroupsOf, memberSetKey } from './identity-groups.ts';

describe('identityGroupsOf', () => {
  it('gives the intersection as LCD and the union, sorted', () => {
    expect(
      identityGroupsOf([
        ['sales', 'sales-emea'],
        ['sales', 'managers', 'execs'],
        ['sales-apac', 'sales'],
      ]),
    ).toEqual({ lcd: ['sales'], union: ['execs', 'managers', 'sales', 'sales-apac', 'sales-emea'] });
  });

  it('has an empty LCD as soon as two members share nothing', () => {
    expect(identityGroupsOf([['hr', 'managers'], ['engineering']]).lcd).toEqual([]);
  });

  it('gives one member their own groups both ways, and nobody nothing', () => {
    expect(identityGroupsOf([['finance', 'execs']])).toEqual({
      lcd: ['execs', 'finance'],
      union: ['execs', 'finance'],
    });
    expect(identityGroupsOf([])).toEqual({ lcd: [], union: [] });
  });

  it('names a member set the same whatever the order', () => {
    expect(memberSetKey(['carol', 'alice', 'bob'])).toBe('alice+bob+carol');
  });
});
