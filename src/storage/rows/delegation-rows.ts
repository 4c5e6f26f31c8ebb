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
