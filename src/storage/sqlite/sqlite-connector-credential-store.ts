import type Database from 'better-sqlite3';
import type { Statement } from 'better-sqlite3';
import type {
  ConnectorCredentialKey,
  ConnectorCredentialStore,
  StoredConnectorCredential,
} from '../../delegation/connector-credential-types.ts';
import { type ConnectorCredentialRow, connectorCredentialFromRow } from '../rows/delegation-rows.ts';

type KeyParams = [string, string, string];

/**
 * `ConnectorCredentialStore` on SQLite (table `connector_credentials`, migration 0003). Every
 * statement binds the whole (tenant, user, resource) key: there is no query by anything wider.
 * Built on the store's connection (`SqliteStore.db`) after it has migrated.
 */
export class SqliteConnectorCredentialStore implements ConnectorCredentialStore {
  readonly #get: Statement<KeyParams, ConnectorCredentialRow>;
  readonly #put: Statement<[string, string, string, string, number | null, number, number]>;
  readonly #delete: Statement<KeyParams>;

  constructor(db: Database.Database) {
    this.#get = db.prepare('SELECT * FROM connector_credentials WHERE tenant_id = ? AND user_id = ? AND resource = ?');
    this.#put = db.prepare(
      `INSERT INTO connector_credentials (tenant_id, user_id, resource, sealed, expires_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (tenant_id, user_id, resource)
       DO UPDATE SET sealed = excluded.sealed, expires_at = excluded.expires_at, updated_at = excluded.updated_at`,
    );
    this.#delete = db.prepare('DELETE FROM connector_credentials WHERE tenant_id = ? AND user_id = ? AND resource = ?');
  }

  async get(key: ConnectorCredentialKey): Promise<StoredConnectorCredential | undefined> {
    const row = this.#get.get(key.tenant, key.user, key.resource);
    return row && connectorCredentialFromRow(row);
  }

  async put(row: StoredConnectorCredential): Promise<void> {
    this.#put.run(row.tenant, row.user, row.resource, row.sealed, row.expiresAt, row.createdAt, row.updatedAt);
  }

  async delete(key: ConnectorCredentialKey): Promise<boolean> {
    return this.#delete.run(key.tenant, key.user, key.resource).changes > 0;
  }
}
