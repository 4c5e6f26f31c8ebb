import { randomBytes } from 'node:crypto';
import type { TestApp } from '../../src/app/testing.ts';
import { type ConnectorCredentials, createConnectorCredentials } from '../../src/delegation/connector-credentials.ts';
import { SqliteConnectorCredentialStore } from '../../src/storage/sqlite/sqlite-connector-credential-store.ts';

/** Per-user connector credentials over a test app's SQLite store, sealed with a fresh random secret. */
export function testConnectorCredentials(app: TestApp): ConnectorCredentials {
  return createConnectorCredentials({
    store: new SqliteConnectorCredentialStore(app.store.db),
    secret: randomBytes(32),
    grants: app.grants,
    clock: app.clock,
  });
}
