import { describe, expect, it } from 'vitest';
import type { ScimJson } from './scim-attributes.ts';
import { applyPatch, parsePatchPath } from './scim-patch.ts';
import type { ScimPatchOperation } from './scim-schemas.ts';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const user: ScimJson = {
  id: 'ana',
  userName: 'ana@riverside.example',
  name: { formatted: 'Ana Ruiz', givenName: 'Ana', familyName: 'Ruiz' },
  displayName: 'Ana Ruiz',
  emails: [{ value: 'ana@riverside.example', type: 'work', primary: true }],
  active: true,
  groups: [{ value: 'doctors' }],
  meta: { resourceType: 'User' },
};
const group: ScimJson = { id: 'doctors', displayName: 'Doctors', members: [{ value: 'ana' }, { value: 'ben' }] };
const patch = (resource: ScimJson, ...operations: ScimPatchOperation[]) =>
  applyPatch(resource, operations, [ENTERPRISE]);

describe('SCIM PATCH (RFC 7644 §3.5.2) as Okta and Entra ID send it', () => {
  it('replaces attributes named in a value object without a path (Okta)', () => {
    const after = patch(user, { op: 'replace', value: { active: false } });
    expect(after.active).toBe(false);
    expect(user.active).toBe(true); // the input is not changed
  });

  it('replaces one attribute by path, whatever the case of op and path (Entra ID)', () => {
    expect(patch(user, { op: 'replace', path: 'Active', value: 'False' }).active).toBe('False');
    expect(patch(user, { op: 'replace', path: 'name.familyName', value: 'Diaz' }).name).toEqual({
      formatted: 'Ana Ruiz',
      givenName: 'Ana',
      familyName: 'Diaz',
    });
  });

  it('merges a complex attribute given as a value: the sub-attributes not given stay', () => {
    expect(patch(user, { op: 'replace', value: { name: { familyName: 'Diaz' } } }).name).toMatchObject({
      givenName: 'Ana',
      familyName: 'Diaz',
    });
  });

  it('replaces the work email through a value filter, and creates it when there is none', () => {
    const replaced = patch(user, { op: 'replace', path: 'emails[type eq "work"].value', value: 'a@x.example' });
    expect(replaced.emails).toEqual([{ value: 'a@x.example', type: 'work', primary: true }]);
    const created = patch(
      { ...user, emails: [] },
      { op: 'add', path: 'emails[type eq "work"].value', value: 'a@x.example' },
    );
    expect(created.emails).toEqual([{ type: 'work', value: 'a@x.example' }]);
  });

  it('takes paths in the keys of a value object (Entra ID without a path)', () => {
    const after = patch(user, {
      op: 'replace',
      value: { 'name.givenName': 'Anna', 'emails[type eq "work"].value': 'b@x.example' },
    });
    expect(after.name).toMatchObject({ givenName: 'Anna' });
    expect(after.emails).toEqual([{ value: 'b@x.example', type: 'work', primary: true }]);
  });

  it('sets and removes enterprise extension attributes by URI path', () => {
    const added = patch(user, { op: 'add', path: `${ENTERPRISE}:manager`, value: 'ben' });
    expect(added[ENTERPRISE]).toEqual({ manager: 'ben' });
    const department = patch(added, { op: 'replace', value: { [ENTERPRISE]: { department: 'Cardiology' } } });
    expect(department[ENTERPRISE]).toEqual({ manager: 'ben', department: 'Cardiology' });
    expect(patch(department, { op: 'remove', path: `${ENTERPRISE}:manager` })[ENTERPRISE]).toEqual({
      department: 'Cardiology',
    });
  });

  it('adds members without duplicates, and removes them in the three forms clients use', () => {
    const added = patch(group, { op: 'add', path: 'members', value: [{ value: 'cy' }, { value: 'ana' }] });
    expect(added.members).toEqual([{ value: 'ana' }, { value: 'ben' }, { value: 'cy' }]);
    const members = (resource: ScimJson) =>
      ((resource.members ?? []) as Array<{ value: string }>).map((member) => member.value);
    expect(members(patch(added, { op: 'remove', path: 'members[value eq "ben"]' }))).toEqual(['ana', 'cy']);
    expect(members(patch(added, { op: 'remove', path: 'members', value: [{ value: 'cy' }] }))).toEqual(['ana', 'ben']);
    expect(members(patch(added, { op: 'remove', path: 'members' }))).toEqual([]);
    expect(members(patch(added, { op: 'replace', path: 'members', value: [{ value: 'ben' }] }))).toEqual(['ben']);
  });

  it('ignores read-only and unknown attributes, and extensions it does not keep', () => {
    const after = patch(
      user,
      { op: 'replace', value: { id: 'other', groups: [], meta: {}, nickName: 'A' } },
      { op: 'add', path: 'urn:example:custom:2.0:User:badge', value: '7' },
      { op: 'replace', path: 'id', value: 'other' },
    );
    expect(after).toMatchObject({ id: 'ana', groups: [{ value: 'doctors' }], meta: { resourceType: 'User' } });
    expect(after).not.toHaveProperty('urn:example:custom:2.0:User');
  });

  it('refuses a remove without a path, a value that is no object without a path, and a filter that matches nothing', () => {
    expect(() => patch(user, { op: 'remove' })).toThrow(expect.objectContaining({ scimType: 'noTarget' }));
    expect(() => patch(user, { op: 'replace', value: false })).toThrow(
      expect.objectContaining({ scimType: 'invalidValue' }),
    );
    expect(() => patch(user, { op: 'replace', path: 'emails[value sw "x"].type', value: 'home' })).toThrow(
      expect.objectContaining({ scimType: 'noTarget' }),
    );
  });

  it.each(['emails[type eq', 'name..x', 'a.b.c', 'members[value eq "x"]junk', '[value eq "x"]'])(
    'refuses the path %j with invalidPath',
    (path) => {
      expect(() => parsePatchPath(path)).toThrow(expect.objectContaining({ status: 400, scimType: 'invalidPath' }));
    },
  );
});
