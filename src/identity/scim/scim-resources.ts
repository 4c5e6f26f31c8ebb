import type { GroupRecord, User, UserAttributes } from '../types.ts';
import type { ScimJson } from './scim-attributes.ts';
import {
  SCIM_ATTRIBUTE_KEYS,
  SCIM_ENTERPRISE_USER_SCHEMA,
  SCIM_GROUP_SCHEMA,
  SCIM_USER_SCHEMA,
  type ScimUserInput,
} from './scim-schemas.ts';

/** The SCIM `userName` of a person: theirs when provisioned; else their email, else their id (what adoption matches). */
export function scimUserName(user: User): string {
  return user.userName ?? user.email ?? user.id;
}

/** A person as a SCIM User (RFC 7643 §4.1, with the enterprise extension when it has something to say). */
export function toScimUser(user: User): ScimJson {
  const attribute = (key: string) => {
    const value = user.attributes[key];
    return value === undefined ? undefined : String(value);
  };
  const enterprise: ScimJson = {};
  for (const key of ['employeeNumber', 'costCenter', 'organization', 'division', 'department']) {
    const value = attribute(key);
    if (value !== undefined) enterprise[key] = value;
  }
  if (user.managerId) enterprise.manager = { value: user.managerId };
  const hasEnterprise = Object.keys(enterprise).length > 0;
  const givenName = attribute('givenName');
  const familyName = attribute('familyName');
  return {
    schemas: hasEnterprise ? [SCIM_USER_SCHEMA, SCIM_ENTERPRISE_USER_SCHEMA] : [SCIM_USER_SCHEMA],
    id: user.id,
    ...(user.externalId ? { externalId: user.externalId } : {}),
    userName: scimUserName(user),
    name: {
      formatted: user.name,
      ...(givenName !== undefined ? { givenName } : {}),
      ...(familyName !== undefined ? { familyName } : {}),
    },
    displayName: user.name,
    ...(user.title ? { title: user.title } : {}),
    emails: user.email ? [{ value: user.email, type: 'work', primary: true }] : [],
    active: user.active,
    groups: user.groups.map((group) => ({ value: group, display: group, type: 'direct' })),
    ...(hasEnterprise ? { [SCIM_ENTERPRISE_USER_SCHEMA]: enterprise } : {}),
    meta: { resourceType: 'User', version: `W/"${user.version}"` },
  };
}

/** A group as a SCIM Group (RFC 7643 §4.2); its members are the people who hold it. */
export function toScimGroup(
  group: Pick<GroupRecord, 'name' | 'displayName' | 'externalId'>,
  members: readonly User[],
): ScimJson {
  return {
    schemas: [SCIM_GROUP_SCHEMA],
    id: group.name,
    displayName: group.displayName,
    ...(group.externalId ? { externalId: group.externalId } : {}),
    members: members.map((member) => ({ value: member.id, display: member.name, type: 'User' })),
    meta: { resourceType: 'Group' },
  };
}

/** The person's display name a written User gives: `displayName`, else `name.formatted`, else given and family names, else `userName`. */
export function displayNameOf(input: ScimUserInput): string {
  const parts = [input.name?.givenName, input.name?.familyName].filter((part): part is string => !!part);
  return input.displayName || input.name?.formatted || parts.join(' ') || input.userName;
}

/** The work email of a written User: the primary one, else the `work` one, else the first. */
export function emailOf(input: ScimUserInput): string | null {
  const emails = input.emails ?? [];
  const chosen =
    emails.find((email) => email.primary === true) ??
    emails.find((email) => email.type?.toLowerCase() === 'work') ??
    emails[0];
  return chosen?.value ?? null;
}

/**
 * The person's attributes after a SCIM write: the ones provisioning owns (`SCIM_ATTRIBUTE_KEYS`)
 * as the User says — set, or removed when absent — and every other attribute as it was.
 */
export function attributesOf(input: ScimUserInput, current: UserAttributes): UserAttributes {
  const next: UserAttributes = {};
  for (const [key, value] of Object.entries(current)) {
    if (!(SCIM_ATTRIBUTE_KEYS as readonly string[]).includes(key)) next[key] = value;
  }
  const enterprise = input[SCIM_ENTERPRISE_USER_SCHEMA];
  const values: Record<(typeof SCIM_ATTRIBUTE_KEYS)[number], string | null | undefined> = {
    givenName: input.name?.givenName,
    familyName: input.name?.familyName,
    employeeNumber: enterprise?.employeeNumber,
    costCenter: enterprise?.costCenter,
    organization: enterprise?.organization,
    division: enterprise?.division,
    department: enterprise?.department,
  };
  for (const key of SCIM_ATTRIBUTE_KEYS) {
    const value = values[key];
    if (value) next[key] = value;
  }
  return next;
}

/** The manager's id a written User names (the enterprise extension's `manager.value`), if any. */
export function managerOf(input: ScimUserInput): string | null {
  return input[SCIM_ENTERPRISE_USER_SCHEMA]?.manager?.value ?? null;
}
