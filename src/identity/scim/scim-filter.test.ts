import { describe, expect, it } from 'vitest';
import { matchesFilter, parseFilter } from './scim-filter.ts';

const ana = {
  id: 'ana',
  userName: 'Ana.Ruiz@riverside.example',
  externalId: '00u1',
  active: true,
  name: { givenName: 'Ana', familyName: 'Ruiz' },
  emails: [
    { value: 'ana@riverside.example', type: 'work', primary: true },
    { value: 'ana@home.example', type: 'home' },
  ],
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: 'Cardiology' },
};

describe('SCIM filters (RFC 7644 §3.4.2.2)', () => {
  it.each([
    ['userName eq "ana.ruiz@riverside.example"', true],
    ['USERNAME EQ "ANA.RUIZ@RIVERSIDE.EXAMPLE"', true],
    ['userName eq "bob@riverside.example"', false],
    ['externalId eq "00u1"', true],
    ['name.familyName sw "Ru"', true],
    ['name.familyName ew "iz" and name.givenName co "n"', true],
    ['emails[type eq "work" and value eq "ana@riverside.example"]', true],
    ['emails[type eq "home" and value eq "ana@riverside.example"]', false],
    ['emails.value eq "ana@home.example"', true],
    ['emails eq "ana@home.example"', true],
    ['active eq true', true],
    ['active eq false', false],
    ['title pr', false],
    ['userName pr', true],
    ['not (active eq false)', true],
    ['(userName eq "x" or externalId eq "00u1") and active eq true', true],
    ['userName eq "x" or externalId eq "y"', false],
    ['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "cardiology"', true],
    ['urn:ietf:params:scim:schemas:core:2.0:User:userName eq "Ana.Ruiz@riverside.example"', true],
    ['userName ne "x"', true],
  ])('%s → %s', (filter, expected) => {
    expect(matchesFilter(ana, parseFilter(filter))).toBe(expected);
  });

  it('reads escapes in string values as JSON does', () => {
    expect(matchesFilter({ displayName: 'Say "hi"' }, parseFilter('displayName eq "Say \\"hi\\""'))).toBe(true);
  });

  it.each([
    'userName xx "a"',
    'userName eq',
    'userName eq "a',
    'userName eq "a" and',
    '(userName eq "a"',
    'emails[type eq "work"',
    'userName eq a',
    'a.b.c eq "x"',
    '',
    `${'('.repeat(40)}userName eq "a"${')'.repeat(40)}`,
  ])('refuses %j with invalidFilter', (filter) => {
    expect(() => parseFilter(filter)).toThrow(expect.objectContaining({ status: 400, scimType: 'invalidFilter' }));
  });
});
