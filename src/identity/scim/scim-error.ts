/** The schema URI of every SCIM error body (RFC 7644 §3.12). */
export const SCIM_ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

/** The `scimType` detail codes of RFC 7644 §3.12 (400 and 409 errors). */
export type ScimErrorType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers'
  | 'sensitive';

/** A SCIM error body: the status is a string, as the RFC says. */
export interface ScimErrorBody {
  schemas: [typeof SCIM_ERROR_SCHEMA];
  status: string;
  scimType?: ScimErrorType;
  detail: string;
}

/** A refusal of a SCIM request, as the protocol names it. Thrown by the provisioning service. */
export class ScimError extends Error {
  constructor(
    readonly status: number,
    detail: string,
    readonly scimType?: ScimErrorType,
  ) {
    super(detail);
    this.name = 'ScimError';
  }

  toBody(): ScimErrorBody {
    return {
      schemas: [SCIM_ERROR_SCHEMA],
      status: String(this.status),
      ...(this.scimType ? { scimType: this.scimType } : {}),
      detail: this.message,
    };
  }
}

/** 404 for a resource that does not exist (or was deleted). */
export function scimNotFound(kind: 'User' | 'Group' | 'ResourceType' | 'Schema', id: string): ScimError {
  return new ScimError(404, `${kind} ${JSON.stringify(id.slice(0, 100))} not found`);
}
