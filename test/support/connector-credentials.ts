import { randomBytes } from 'node:crypto';
import { type ConnectorCredentials, createConnectorCredentials } from '../../src/delegation/connector-credentials.ts';
import { SqliteConnectorCredentialStore } from '../../src/storage/sqlite/sqlite-connector-credential-store.ts';
import type { TestApp } from './test-app.ts';

/** Per-user connector credentials over a test app's SQLite store, sealed with a fresh random secret. */
export function testConnectorCredentials(app: TestApp): ConnectorCredentials {
  return createConnectorCredentials({
    store: new SqliteConnectorCredentialStore(app.store.db),
    secret: randomBytes(32),
    grants: app.grants,
    clock: app.clock,
  });
}
