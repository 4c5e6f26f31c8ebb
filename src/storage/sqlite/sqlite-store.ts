import type Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { type Clock, systemClock } from '../../shared/clock.ts';
import { migrateToLatest } from '../migrations/migrate-to-latest.ts';
import { storageMigrations } from '../migrations/storage-migrations.ts';
import type { StorageDatabase } from '../schema.ts';
import { PortableAgentIdentityStore } from '../shared/portable-agent-identity-store.ts';
import { PortableMemoryStore } from '../shared/portable-memory-store.ts';
import { PortableSigningKeyStore } from '../shared/portable-signing-key-store.ts';
import type { Store } from '../types.ts';
import { openSqliteDatabase } from './open-sqlite-database.ts';
import { SqliteApprovalStore } from './sqlite-approval-store.ts';
import { SqliteAuditLogStore } from './sqlite-audit-log-store.ts';
import { SqliteConnectorCredentialStore } from './sqlite-connector-credential-store.ts';
import type { SqliteContext } from './sqlite-context.ts';
import { SqliteDocumentStore } from './sqlite-document-store.ts';
import { SqliteJtiStore } from './sqlite-jti-store.ts';
import { SqliteMessageStore } from './sqlite-message-store.ts';
import { sqlitePortable } from './sqlite-portable.ts';
import { SqliteRunStore } from './sqlite-run-store.ts';
import { sqliteSchemaDialect } from './sqlite-schema-dialect.ts';
import { SqliteSessionStore } from './sqlite-session-store.ts';
import { SqliteThreadStore } from './sqlite-thread-store.ts';
import { SqliteToolCallStore } from './sqlite-tool-call-store.ts';
import { SqliteUserStore } from './sqlite-user-store.ts';

/** The embedded store, with its connection exposed for diagnostics and tamper tests. */
export interface SqliteStore extends Store {
  readonly kind: 'sqlite';
  /** The one better-sqlite3 connection every sub-store uses. */
  readonly db: Database.Database;
}

/** Where the database lives and the clock that stamps `updatedAt` (the system clock by default). */
export interface SqliteStoreOptions {
  /** A file path, or `':memory:'` for a throwaway database. */
  path: string;
  clock?: Clock;
  /**
   * Lock the database file for this process alone (SQLite `locking_mode=EXCLUSIVE`): faster hot
   * paths, but no other process (a CLI, a second server) can open the file while the store is open.
   */
  exclusive?: boolean;
}

/**
 * Opens (creating if needed) a SQLite database and migrates it to the current schema. Refuses a
 * database written by a newer Behalf. Sub-stores prepare their statements once, here.
 */
export async function createSqliteStore(options: SqliteStoreOptions): Promise<SqliteStore> {
  const db = openSqliteDatabase(options.path, { exclusive: options.exclusive ?? false });
  const kysely = new Kysely<StorageDatabase>({ dialect: new SqliteDialect({ database: db }) });
  try {
    await migrateToLatest(kysely as unknown as Kysely<unknown>, storageMigrations(sqliteSchemaDialect));
  } catch (error) {
    await kysely.destroy();
    throw error;
  }
  const context: SqliteContext = { db, kysely, clock: options.clock ?? systemClock };
  let closed = false;
  return {
    kind: 'sqlite',
    db,
    users: new SqliteUserStore(context),
    sessions: new SqliteSessionStore(context),
    threads: new SqliteThreadStore(context),
    messages: new SqliteMessageStore(context),
    runs: new SqliteRunStore(context),
    approvals: new SqliteApprovalStore(context),
    documents: new SqliteDocumentStore(context),
    audit: new SqliteAuditLogStore(context),
    signingKeys: new PortableSigningKeyStore(sqlitePortable(context)),
    jtis: new SqliteJtiStore(context),
    toolCalls: new SqliteToolCallStore(context),
    connectorCredentials: new SqliteConnectorCredentialStore(db),
    agents: new PortableAgentIdentityStore(sqlitePortable(context)),
    memories: new PortableMemoryStore(sqlitePortable(context)),
    async close() {
      if (closed) return;
      closed = true;
      // Lets SQLite refresh the query planner's statistics it found worth updating.
      db.pragma('optimize');
      await kysely.destroy();
    },
  };
}
