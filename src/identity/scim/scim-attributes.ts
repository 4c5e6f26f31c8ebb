import { SCIM_ENTERPRISE_USER_SCHEMA, SCIM_GROUP_SCHEMA, SCIM_USER_SCHEMA } from './scim-schemas.ts';

/** A JSON object as SCIM resources are handled here (before validation). */
export type ScimJson = Record<string, unknown>;

/**
 * Attribute and sub-attribute names of the core and enterprise schemas, by their lower-case
 * form: SCIM attribute names are case-insensitive (RFC 7643 §2.1), so whatever case a client
 * sends, Behalf reads the canonical name.
 */
const CANONICAL = new Map(
  [
    'schemas',
    'id',
    'externalId',
    'meta',
    'resourceType',
    'location',
    'version',
    'created',
    'lastModified',
    'userName',
    'name',
    'formatted',
    'givenName',
    'familyName',
    'middleName',
    'honorificPrefix',
    'honorificSuffix',
    'displayName',
    'nickName',
    'profileUrl',
    'title',
    'userType',
    'preferredLanguage',
    'locale',
    'timezone',
    'active',
    'password',
    'emails',
    'phoneNumbers',
    'ims',
    'photos',
    'addresses',
    'groups',
    'entitlements',
    'roles',
    'x509Certificates',
    'members',
    'value',
    'display',
    'type',
    'primary',
    '$ref',
    'employeeNumber',
    'costCenter',
    'organization',
    'division',
    'department',
    'manager',
    SCIM_USER_SCHEMA,
    SCIM_GROUP_SCHEMA,
    SCIM_ENTERPRISE_USER_SCHEMA,
  ].map((name) => [name.toLowerCase(), name]),
);

/** The canonical spelling of an attribute name (or schema URI); unknown names are kept as sent. */
export function canonicalName(name: string): string {
  return CANONICAL.get(name.toLowerCase()) ?? name;
}

/** Attributes that hold a list of values (RFC 7643 §4). */
export const MULTI_VALUED = new Set([
  'emails',
  'phoneNumbers',
  'ims',
  'photos',
  'addresses',
  'groups',
  'entitlements',
  'roles',
  'x509Certificates',
  'members',
  'schemas',
]);

/** Attributes a client never sets (RFC 7643 `mutability: readOnly`); writes to them are ignored. */
export const READ_ONLY = new Set(['id', 'meta', 'groups', 'schemas']);

/** Whether a value is a JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is ScimJson {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A copy of `value` with every object key in its canonical spelling (nested objects and lists too). */
export function canonicalize(value: unknown, depth = 0): unknown {
  if (depth > 8) return value;
  if (Array.isArray(value)) return value.map((item) => canonicalize(item, depth + 1));
  if (!isJsonObject(value)) return value;
  const result: ScimJson = {};
  for (const [key, item] of Object.entries(value)) {
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') continue;
    result[canonicalName(key)] = canonicalize(item, depth + 1);
  }
  return result;
}
