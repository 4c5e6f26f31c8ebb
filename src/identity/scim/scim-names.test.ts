import { describe, expect, it } from 'vitest';
import { firstFree, groupNameCandidate, userIdCandidate } from './scim-names.ts';

describe('ids for provisioned people and groups', () => {
  it.each([
    ['Ana.Ruiz@riverside.example', 'ana.ruiz'],
    ['alice', 'alice'],
    ['Test_User_ab6490ee-1e48', 'test_user_ab6490ee-1e48'],
    ['José Müller@x.example', 'jose-muller'],
    ['..weird..@x', 'weird'],
    ['a+tag@x.example', 'a-tag'],
    ['@x.example', 'user'],
    ['日本@x.example', 'user'],
    [`${'a'.repeat(100)}@x.example`, 'a'.repeat(64)],
  ])('userName %j → user id candidate %j', (userName, id) => {
    expect(userIdCandidate(userName)).toBe(id);
  });

  it.each([
    ['Sales EMEA', 'sales-emea'],
    ['HR', 'hr'],
    ['Okta Pilot Team (2026)', 'okta-pilot-team-2026'],
    ['Équipe de nuit', 'equipe-de-nuit'],
    ['***', 'group'],
  ])('displayName %j → group name candidate %j', (displayName, name) => {
    expect(groupNameCandidate(displayName)).toBe(name);
  });

  it('takes the first free id, with a numbered suffix', async () => {
    const taken = new Set(['ana', 'ana-2']);
    expect(await firstFree('ana', async (id) => taken.has(id))).toBe('ana-3');
    expect(await firstFree('ben', async (id) => taken.has(id))).toBe('ben');
    const long = 'x'.repeat(64);
    const free = await firstFree(long, async (id) => id === long);
    expect(free).toBe(`${'x'.repeat(62)}-2`);
  });
});
