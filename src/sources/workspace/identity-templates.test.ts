import { describe, expect, it } from 'vitest';
import { SqlQueryError } from '../sql-query-error.ts';
import type { SourcePerson } from '../types.ts';
import { compileIdentity, IdentityTemplateError, missingIdentityValues } from './identity-templates.ts';

const ana: SourcePerson = {
  id: 'ana',
  name: 'Ana Ruiz',
  email: 'ana@riverside.example',
  groups: ['doctors', 'ward-3'],
  attributes: { uid: '6f1c', level: 3, on_call: true },
  claims: { tenant: 'riverside', app_metadata: { region: 'eu' }, roles: ['a', 'b'] },
};

const settingsOf = (identity: ReturnType<typeof compileIdentity>, person: SourcePerson) =>
  Object.fromEntries(identity.settingsFor(person));

describe('the postgrest convention', () => {
  it('sets request.jwt.claims, the legacy claim settings and a role claim', () => {
    const identity = compileIdentity({
      convention: 'postgrest',
      role: 'authenticated',
      claims: { sub: '{{user.attributes.uid}}', email: '{{user.email}}', groups: '{{user.groups}}' },
    });
    const settings = settingsOf(identity, ana);
    expect(JSON.parse(settings['request.jwt.claims'] ?? '')).toEqual({
      sub: '6f1c',
      email: 'ana@riverside.example',
      groups: ['doctors', 'ward-3'],
      role: 'authenticated',
    });
    expect(settings['request.jwt.claim.sub']).toBe('6f1c');
    expect(settings['request.jwt.claim.role']).toBe('authenticated');
    expect(settings['request.jwt.claim.groups']).toBe('["doctors","ward-3"]');
    expect(identity.readerRole).toBe('authenticated');
    expect(identity.settingNames).toContain('request.jwt.claim.email');
  });

  it('keeps the type of a whole placeholder, interpolates text, spreads lists and keeps literals', () => {
    const identity = compileIdentity({
      convention: 'postgrest',
      role: 'authenticated',
      claims: {
        level: '{{user.attributes.level}}',
        on_call: '{{ user.attributes.on_call }}',
        region: '{{user.claims.app_metadata.region}}',
        label: 'user {{user.id}} in {{user.groups}}',
        roles: ['staff', '{{user.groups}}', '{{user.claims.roles}}'],
        aal: 2,
        verified: true,
        role: 'clinician',
        'https://example.com/tenant': '{{user.claims.tenant}}',
      },
    });
    const settings = settingsOf(identity, ana);
    expect(JSON.parse(settings['request.jwt.claims'] ?? '')).toEqual({
      level: 3,
      on_call: true,
      region: 'eu',
      label: 'user ana in doctors,ward-3',
      roles: ['staff', 'doctors', 'ward-3', 'a', 'b'],
      aal: 2,
      verified: true,
      role: 'clinician',
      'https://example.com/tenant': 'riverside',
    });
    expect(settings['request.jwt.claim.aal']).toBe('2');
    // A claim name that cannot be a setting name is in the JSON only.
    expect(Object.keys(settings).some((name) => name.includes('https'))).toBe(false);
  });

  it('refuses a person who cannot fill a claim, naming every missing value', () => {
    const identity = compileIdentity({
      convention: 'postgrest',
      role: 'authenticated',
      claims: { sub: '{{user.attributes.uid}}', email: '{{user.email}}', t: '{{user.claims.tenant}}' },
    });
    const bare: SourcePerson = { id: 'dan', groups: [] };
    expect(identity.missingValues(bare)).toEqual([
      '{{user.attributes.uid}}',
      '{{user.email}}',
      '{{user.claims.tenant}}',
    ]);
    expect(() => identity.settingsFor(bare)).toThrow(SqlQueryError);
    try {
      identity.settingsFor({ ...ana, email: '' });
    } catch (error) {
      expect(error).toMatchObject({ kind: 'unidentified' });
      expect((error as Error).message).toContain('{{user.email}}');
    }
    expect(identity.missingValues({ ...ana, attributes: { uid: null } })).toEqual(['{{user.attributes.uid}}']);
    expect(identity.missingValues(ana)).toEqual([]);
  });
});

describe('the settings convention', () => {
  it('sets named values, groups comma-separated', () => {
    const identity = compileIdentity({
      convention: 'settings',
      role: 'app_reader',
      settings: {
        'app.user_id': '{{user.id}}',
        'app.groups': '{{user.groups}}',
        'app.who': '{{user.name}} <{{user.email}}>',
      },
    });
    expect(identity.settingsFor(ana)).toEqual([
      ['app.user_id', 'ana'],
      ['app.groups', 'doctors,ward-3'],
      ['app.who', 'Ana Ruiz <ana@riverside.example>'],
    ]);
    expect(identity.settingsFor({ id: 'x', groups: [], name: 'X', email: 'x@y' })[1]).toEqual(['app.groups', '']);
    expect(
      missingIdentityValues(
        { convention: 'settings', role: 'r', settings: { 'a.b': '{{user.name}}' } },
        { id: 'x', groups: [] },
      ),
    ).toEqual(['{{user.name}}']);
  });

  it('refuses declarations that cannot work for anyone', () => {
    const bad = [
      { convention: 'settings', role: 'r', settings: { 'a.b': '{{user.uid}}' } },
      { convention: 'settings', role: 'r', settings: { 'a.b': '{{user.id}' } },
      { convention: 'settings', role: 'r', settings: { role: '{{user.id}}' } },
      { convention: 'settings', role: 'r', settings: { 'plpgsql.check_asserts': '{{user.id}}' } },
      { convention: 'settings', role: 'r', settings: { 'pg_stat_statements.track': 'all' } },
      { convention: 'settings', role: 'r', settings: {} },
      { convention: 'settings', role: 'Bad Role', settings: { 'a.b': 'x' } },
      { convention: 'postgrest', role: 'r', claims: { sub: '{{user.attributes.}}' } },
    ] as const;
    for (const spec of bad) expect(() => compileIdentity(spec), JSON.stringify(spec)).toThrow(IdentityTemplateError);
  });
});
