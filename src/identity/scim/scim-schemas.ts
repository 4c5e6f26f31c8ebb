import { z } from 'zod';

/** Schema URIs of RFC 7643/7644 that Behalf speaks. */
export const SCIM_USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const SCIM_GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const SCIM_ENTERPRISE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const SCIM_LIST_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const SCIM_PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const SCIM_SERVICE_PROVIDER_CONFIG_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';
export const SCIM_RESOURCE_TYPE_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType';
export const SCIM_SCHEMA_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Schema';

/** The media type of SCIM requests and responses (RFC 7644 §3.1). */
export const SCIM_CONTENT_TYPE = 'application/scim+json';

/** Most resources one list response returns (advertised as `filter.maxResults`). */
export const SCIM_MAX_RESULTS = 200;

/**
 * The person's attributes that provisioning owns (set or cleared by every SCIM write), next to
 * whatever else a workspace put in `attributes`: the name parts and the enterprise extension's
 * simple attributes, so data-source claims can use them (`{{user.attributes.department}}`).
 */
export const SCIM_ATTRIBUTE_KEYS = [
  'givenName',
  'familyName',
  'employeeNumber',
  'costCenter',
  'organization',
  'division',
  'department',
] as const;

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Text without control characters, at most `max` characters. */
const text = (max: number) =>
  z
    .string()
    .max(max)
    .refine((value) => !CONTROL.test(value), 'no control characters');

/** Booleans as Entra ID sends them too: `"True"`, `"False"` (any case). */
export const ScimBoolean = z.preprocess((value) => {
  if (typeof value !== 'string') return value;
  if (/^true$/i.test(value)) return true;
  if (/^false$/i.test(value)) return false;
  return value;
}, z.boolean());

/** A value that may be absent, null (cleared) or an empty string (cleared, as some clients send). */
const optionalText = (max: number) => z.preprocess((value) => (value === '' ? null : value), text(max).nullish());

const ScimName = z.object({
  formatted: optionalText(200),
  givenName: optionalText(100),
  familyName: optionalText(100),
  middleName: optionalText(100),
});

const ScimEmail = z.object({
  value: z
    .string()
    .trim()
    .max(320)
    .regex(/^[^\s@]+@[^\s@]+$/, 'an email address'),
  type: optionalText(40),
  primary: ScimBoolean.nullish(),
});

/** The enterprise extension as far as Behalf keeps it; its `manager` is the manager's SCIM id. */
const ScimEnterpriseUser = z.object({
  employeeNumber: optionalText(100),
  costCenter: optionalText(100),
  organization: optionalText(200),
  division: optionalText(200),
  department: optionalText(200),
  manager: z
    .preprocess(
      (value) => (typeof value === 'string' ? (value === '' ? null : { value }) : value),
      z.object({ value: optionalText(256) }).nullish(),
    )
    .optional(),
});

/**
 * A User as a client writes it (POST, PUT, and the result of a PATCH). Attributes Behalf does not
 * keep are ignored, as RFC 7643 §3 asks of unknown ones; `id`, `meta` and `groups` are read-only.
 */
export const ScimUserInput = z.object({
  userName: z
    .string()
    .trim()
    .min(1)
    .max(256)
    .refine((value) => !CONTROL.test(value), 'no control characters'),
  externalId: optionalText(256),
  name: ScimName.nullish(),
  displayName: optionalText(200),
  title: optionalText(200),
  emails: z.array(ScimEmail).max(20).nullish(),
  active: ScimBoolean.nullish(),
  [SCIM_ENTERPRISE_USER_SCHEMA]: ScimEnterpriseUser.nullish(),
});
export type ScimUserInput = z.output<typeof ScimUserInput>;

/** A member reference of a Group; `value` is the member's SCIM id. */
const ScimMember = z.object({ value: z.string().min(1).max(256), display: z.unknown().optional() });

/** A Group as a client writes it (POST, PUT, and the result of a PATCH). */
export const ScimGroupInput = z.object({
  displayName: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .refine((value) => !CONTROL.test(value), 'no control characters'),
  externalId: optionalText(256),
  members: z.array(ScimMember).max(10_000).nullish(),
});
export type ScimGroupInput = z.output<typeof ScimGroupInput>;

/** One operation of a PATCH; `op` in any case (Entra ID sends `Replace`, `Add`, `Remove`). */
export const ScimPatchOperation = z.object({
  op: z
    .string()
    .transform((op) => op.toLowerCase())
    .pipe(z.enum(['add', 'replace', 'remove'])),
  path: z.string().min(1).max(1000).optional(),
  value: z.unknown().optional(),
});
export type ScimPatchOperation = z.output<typeof ScimPatchOperation>;

/** A PATCH request body (RFC 7644 §3.5.2). */
export const ScimPatchRequest = z.object({
  schemas: z
    .array(z.string())
    .refine((schemas) => schemas.includes(SCIM_PATCH_OP_SCHEMA), `schemas must include ${SCIM_PATCH_OP_SCHEMA}`),
  Operations: z.array(ScimPatchOperation).min(1).max(1000),
});

/** Query parameters of a list (RFC 7644 §3.4.2): filter, pagination and attribute projection. */
export const ScimListQuery = z.object({
  filter: z.string().max(2000).optional(),
  startIndex: z.coerce.number().int().optional(),
  count: z.coerce.number().int().optional(),
  attributes: z.string().max(2000).optional(),
  excludedAttributes: z.string().max(2000).optional(),
});
export type ScimListQuery = z.output<typeof ScimListQuery>;

/** Query parameters of a single resource read or write: attribute projection only. */
export const ScimResourceQuery = ScimListQuery.pick({ attributes: true, excludedAttributes: true });
export type ScimResourceQuery = z.output<typeof ScimResourceQuery>;
