import type { StoredConnectorCredential } from '../../delegation/connector-credential-types.ts';
import type { JsonWebKeyShape, StoredSigningKey } from '../../delegation/types.ts';
import type { SigningKeyRow } from '../schema.ts';

/** A signing-key row as a `StoredSigningKey`. */
export function signingKeyFromRow(row: SigningKeyRow): StoredSigningKey {
  return {
    kid: row.kid,
    publicJwk: JSON.parse(row.public_jwk) as JsonWebKeyShape,
    privateJwk: JSON.parse(row.private_jwk) as JsonWebKeyShape,
    createdAt: Number(row.created_at),
    retiredAt: row.retired_at === null ? null : Number(row.retired_at),
  };
}

/** A `StoredSigningKey` as a row. */
export function signingKeyToRow(key: StoredSigningKey): SigningKeyRow {
  return {
    kid: key.kid,
    public_jwk: JSON.stringify(key.publicJwk),
    private_jwk: JSON.stringify(key.privateJwk),
    created_at: key.createdAt,
    retired_at: key.retiredAt,
  };
}

/** A `connector_credentials` row as drivers return it (PostgreSQL gives bigints as strings). */
export interface ConnectorCredentialRow {
  tenant_id: string;
  user_id: string;
  resource: string;
  sealed: string;
  expires_at: string | number | null;
  created_at: string | number;
  updated_at: string | number;
}

/** A `connector_credentials` row as the stored credential. */
export function connectorCredentialFromRow(row: ConnectorCredentialRow): StoredConnectorCredential {
  return {
    tenant: row.tenant_id,
    user: row.user_id,
    resource: row.resource,
    sealed: row.sealed,
    expiresAt: row.expires_at === null ? null : Number(row.expires_at),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}
