import type {
  ConnectorCredentialKey,
  ConnectorCredentialStore,
  StoredConnectorCredential,
} from '../../delegation/connector-credential-types.ts';
import { type ConnectorCredentialRow, connectorCredentialFromRow } from '../rows/delegation-rows.ts';
import type { PostgresContext } from './postgres-context.ts';

/**
 * `ConnectorCredentialStore` on PostgreSQL (table `connector_credentials`, migration 0003). Every
 * statement binds the whole (tenant, user, resource) key: there is no query by anything wider.
 */
export class PostgresConnectorCredentialStore implements ConnectorCredentialStore {
  constructor(private readonly context: PostgresContext) {}

  async get(key: ConnectorCredentialKey): Promise<StoredConnectorCredential | undefined> {
    const result = await this.context.pool.query<ConnectorCredentialRow>(
      'SELECT * FROM connector_credentials WHERE tenant_id = $1 AND user_id = $2 AND resource = $3',
      [key.tenant, key.user, key.resource],
    );
    const row = result.rows[0];
    return row && connectorCredentialFromRow(row);
  }

  async put(row: StoredConnectorCredential): Promise<void> {
    await this.context.pool.query(
      `INSERT INTO connector_credentials (tenant_id, user_id, resource, sealed, expires_at, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (tenant_id, user_id, resource)
       DO UPDATE SET sealed = excluded.sealed, expires_at = excluded.expires_at, updated_at = excluded.updated_at`,
      [row.tenant, row.user, row.resource, row.sealed, row.expiresAt, row.createdAt, row.updatedAt],
    );
  }

  async delete(key: ConnectorCredentialKey): Promise<boolean> {
    const result = await this.context.pool.query(
      'DELETE FROM connector_credentials WHERE tenant_id = $1 AND user_id = $2 AND resource = $3',
      [key.tenant, key.user, key.resource],
    );
    return (result.rowCount ?? 0) > 0;
  }
}
