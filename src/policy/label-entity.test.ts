import { describe, expect, it } from 'vitest';
import { aclLabelFor, parseAclLabel } from './label-entity.ts';

describe('acl labels', () => {
  it('carry a document ACL, sorted and deduplicated; none for a document everyone reads', () => {
    expect(aclLabelFor(['user:bob', 'group:hr', 'group:hr'])).toBe('acl:group:hr,user:bob');
    expect(aclLabelFor(['everyone', 'group:hr'])).toBeUndefined();
  });

  it('parse back into groups and users', () => {
    expect(parseAclLabel('acl:group:hr,user:bob,group:finance')).toEqual({
      groups: ['hr', 'finance'],
      users: ['bob'],
    });
  });

  it.each([
    'acl:',
    'acl:group:',
    'acl:group:HR',
    'acl:team:hr',
    'acl:group:hr,',
    'acl:group:../admins',
    'acl:user:bob user:eve',
    'group:hr',
  ])('%j is not a well-formed acl label', (label) => {
    expect(parseAclLabel(label)).toBeUndefined();
  });
});
