/**
 * The partition a per-user connector credential lives in (SPEC I9): one tenant of the deployment,
 * one person, one connector server, named by its RFC 8707 resource URI (the `aud` of the
 * grants minted for it). Every read and write names all three; there is no wider query.
 */
export interface ConnectorCredentialKey {
  tenant: string;
  user: string;
  /** The MCP server's resource URI, exactly as configured (e.g. `https://crm.example.com/mcp`). */
  resource: string;
}

/**
 * A credential at rest: its key in clear (to find it), the token only sealed (AES-256-GCM, with
 * the key as authenticated data, so a sealed value copied to another row fails to open).
 */
export interface StoredConnectorCredential extends ConnectorCredentialKey {
  /** `v1.<keyId>.<iv>.<ciphertext>.<tag>`, base64url; see `createConnectorCipher`. */
  sealed: string;
  /** When the token expires (epoch ms), for housekeeping only: the sealed copy is the one trusted. */
  expiresAt: number | null;
  createdAt: number;
  updatedAt: number;
}

/**
 * Storage port for per-user connector credentials. Only the `ConnectorCredentials` service uses
 * it; it never decrypts anything. Adapters: in memory (tests), SQLite, PostgreSQL — each runs
 * `describeConnectorCredentialStoreConformance`.
 */
export interface ConnectorCredentialStore {
  /** The row of exactly this (tenant, user, resource), or undefined. */
  get(key: ConnectorCredentialKey): Promise<StoredConnectorCredential | undefined>;
  /** Inserts or replaces the row of its (tenant, user, resource); `createdAt` of a replaced row is kept. */
  put(row: StoredConnectorCredential): Promise<void>;
  /** Removes the row; false when there was none. */
  delete(key: ConnectorCredentialKey): Promise<boolean>;
}
