/**
 * SCIM requests in the shapes Okta and Microsoft Entra ID send them (their SCIM 2.0 integration
 * guides and validators): headers, query strings and bodies kept as those clients write them —
 * Okta's lower-case ops with a value object and no path, Entra's capitalized ops, string
 * booleans, `emails[type eq "work"].value` paths, `$ref: null` member references and ids in
 * POST bodies. Only user names, ids and emails are ours.
 */

export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/** What Okta sends. */
export const okta = {
  /** Okta looks a person up before creating them. */
  findUser: (userName: string) =>
    `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}&startIndex=1&count=100`,
  createUser: (userName: string, givenName: string, familyName: string, externalId: string) => ({
    schemas: [USER],
    userName,
    name: { givenName, familyName },
    emails: [{ primary: true, value: userName, type: 'work' }],
    displayName: `${givenName} ${familyName}`,
    locale: 'en-US',
    externalId,
    groups: [],
    password: 'R4nd0mP4ss!',
    active: true,
  }),
  /** A profile push: the whole User, read-only attributes included. */
  replaceUser: (id: string, userName: string, givenName: string, familyName: string, title: string) => ({
    schemas: [USER],
    id,
    userName,
    name: { givenName, familyName },
    emails: [{ primary: true, value: userName, type: 'work' }],
    title,
    active: true,
    groups: [],
    meta: { resourceType: 'User' },
  }),
  deactivate: { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: false } }] },
  reactivate: { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: true } }] },
  pushGroup: (displayName: string) => ({ schemas: [GROUP], displayName, members: [] }),
  addMembers: (members: Array<{ value: string; display: string }>) => ({
    schemas: [PATCH_OP],
    Operations: [{ op: 'add', path: 'members', value: members }],
  }),
  removeMember: (id: string) => ({
    schemas: [PATCH_OP],
    Operations: [{ op: 'remove', path: `members[value eq "${id}"]` }],
  }),
  renameGroup: (id: string, displayName: string) => ({
    schemas: [PATCH_OP],
    Operations: [{ op: 'replace', value: { id, displayName } }],
  }),
  headers: { accept: 'application/scim+json', 'content-type': 'application/scim+json; charset=utf-8' },
};

/** What Entra ID sends. */
export const entra = {
  findUser: (userName: string) => `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`,
  findGroup: (displayName: string) =>
    `/Groups?excludedAttributes=members&filter=${encodeURIComponent(`displayName eq "${displayName}"`)}`,
  createUser: (userName: string, email: string, externalId: string) => ({
    schemas: [USER, ENTERPRISE],
    externalId,
    userName,
    active: true,
    emails: [{ primary: true, type: 'work', value: email }],
    meta: { resourceType: 'User' },
    name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
    roles: [],
    [ENTERPRISE]: { department: 'Finance', employeeNumber: '4711' },
  }),
  updateUser: (email: string, familyName: string) => ({
    schemas: [PATCH_OP],
    Operations: [
      { op: 'Replace', path: 'emails[type eq "work"].value', value: email },
      { op: 'Replace', path: 'name.familyName', value: familyName },
      { op: 'Add', path: `${ENTERPRISE}:department`, value: 'Controlling' },
    ],
  }),
  setManager: (managerId: string) => ({
    schemas: [PATCH_OP],
    Operations: [{ op: 'Add', path: `${ENTERPRISE}:manager`, value: managerId }],
  }),
  disable: { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] },
  enable: { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'active', value: 'True' }] },
  createGroup: (displayName: string, externalId: string) => ({
    externalId,
    id: 'c4ea39d0-3f32-4d7f-9d1e-0a3c1c7d2b19',
    displayName,
    meta: { resourceType: 'Group' },
    schemas: [GROUP],
  }),
  addMember: (id: string) => ({
    schemas: [PATCH_OP],
    Operations: [{ op: 'Add', path: 'members', value: [{ $ref: null, value: id }] }],
  }),
  removeMember: (id: string) => ({
    schemas: [PATCH_OP],
    Operations: [{ op: 'Remove', path: 'members', value: [{ $ref: null, value: id }] }],
  }),
  removeMemberByPath: (id: string) => ({
    schemas: [PATCH_OP],
    Operations: [{ op: 'Remove', path: `members[value eq "${id}"]` }],
  }),
  headers: { 'content-type': 'application/scim+json' },
};
