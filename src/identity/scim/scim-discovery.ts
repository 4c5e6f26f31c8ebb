import type { ScimJson } from './scim-attributes.ts';
import {
  SCIM_ENTERPRISE_USER_SCHEMA,
  SCIM_GROUP_SCHEMA,
  SCIM_MAX_RESULTS,
  SCIM_RESOURCE_TYPE_SCHEMA,
  SCIM_SCHEMA_SCHEMA,
  SCIM_SERVICE_PROVIDER_CONFIG_SCHEMA,
  SCIM_USER_SCHEMA,
} from './scim-schemas.ts';

/** What this service provider supports (RFC 7643 §5): PATCH and filters; no bulk, sort, ETags or passwords. */
export function serviceProviderConfig(base: string): ScimJson {
  return {
    schemas: [SCIM_SERVICE_PROVIDER_CONFIG_SCHEMA],
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: SCIM_MAX_RESULTS },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: false },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'Bearer token',
        description: 'The token configured as BEHALF_SCIM_TOKEN, sent as Authorization: Bearer <token>',
        primary: true,
      },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${base}/ServiceProviderConfig` },
  };
}

/** The two resource types (RFC 7643 §6). */
export function resourceTypes(base: string): ScimJson[] {
  return [
    {
      schemas: [SCIM_RESOURCE_TYPE_SCHEMA],
      id: 'User',
      name: 'User',
      endpoint: '/Users',
      description: 'A person of the deployment',
      schema: SCIM_USER_SCHEMA,
      schemaExtensions: [{ schema: SCIM_ENTERPRISE_USER_SCHEMA, required: false }],
      meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/User` },
    },
    {
      schemas: [SCIM_RESOURCE_TYPE_SCHEMA],
      id: 'Group',
      name: 'Group',
      endpoint: '/Groups',
      description: 'A group policies grant rights to; its id is the group name policies use',
      schema: SCIM_GROUP_SCHEMA,
      meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/Group` },
    },
  ];
}

type AttributeType = 'string' | 'boolean' | 'complex' | 'reference';

function attribute(
  name: string,
  type: AttributeType,
  options: {
    multiValued?: boolean;
    required?: boolean;
    mutability?: 'readOnly' | 'readWrite' | 'immutable';
    uniqueness?: 'none' | 'server';
    subAttributes?: ScimJson[];
    description?: string;
  } = {},
): ScimJson {
  return {
    name,
    type,
    multiValued: options.multiValued ?? false,
    ...(options.description ? { description: options.description } : {}),
    required: options.required ?? false,
    caseExact: false,
    mutability: options.mutability ?? 'readWrite',
    returned: 'default',
    uniqueness: options.uniqueness ?? 'none',
    ...(options.subAttributes ? { subAttributes: options.subAttributes } : {}),
  };
}

const member = (mutability: 'readOnly' | 'immutable') => [
  attribute('value', 'string', { mutability }),
  attribute('display', 'string', { mutability: 'readOnly' }),
  attribute('type', 'string', { mutability }),
];

/** The attributes Behalf keeps, per schema (RFC 7643 §7); anything else a client sends is ignored. */
export function schemas(base: string): ScimJson[] {
  const schema = (id: string, name: string, description: string, attributes: ScimJson[]): ScimJson => ({
    schemas: [SCIM_SCHEMA_SCHEMA],
    id,
    name,
    description,
    attributes,
    meta: { resourceType: 'Schema', location: `${base}/Schemas/${id}` },
  });
  return [
    schema(SCIM_USER_SCHEMA, 'User', 'A person', [
      attribute('userName', 'string', { required: true, uniqueness: 'server' }),
      attribute('externalId', 'string'),
      attribute('name', 'complex', {
        subAttributes: [
          attribute('formatted', 'string'),
          attribute('givenName', 'string'),
          attribute('familyName', 'string'),
        ],
      }),
      attribute('displayName', 'string'),
      attribute('title', 'string'),
      attribute('emails', 'complex', {
        multiValued: true,
        subAttributes: [attribute('value', 'string'), attribute('type', 'string'), attribute('primary', 'boolean')],
      }),
      attribute('active', 'boolean', {
        description: 'False deprovisions the person: no sign-in, no sessions, no rights',
      }),
      attribute('groups', 'complex', { multiValued: true, mutability: 'readOnly', subAttributes: member('readOnly') }),
    ]),
    schema(SCIM_ENTERPRISE_USER_SCHEMA, 'EnterpriseUser', 'Enterprise User', [
      attribute('employeeNumber', 'string'),
      attribute('costCenter', 'string'),
      attribute('organization', 'string'),
      attribute('division', 'string'),
      attribute('department', 'string'),
      attribute('manager', 'complex', { subAttributes: [attribute('value', 'string')] }),
    ]),
    schema(SCIM_GROUP_SCHEMA, 'Group', 'A group', [
      attribute('displayName', 'string', { required: true, uniqueness: 'server' }),
      attribute('externalId', 'string'),
      attribute('members', 'complex', { multiValued: true, subAttributes: member('immutable') }),
    ]),
  ];
}
