import { Kysely, PostgresDialect } from 'kysely';
import type { Pool } from 'pg';
import { type Clock, systemClock } from '../../shared/clock.ts';
import type { StorageDatabase } from '../schema.ts';
import { PortableAgentIdentityStore } from '../shared/portable-agent-identity-store.ts';
import { PortableApprovalStore } from '../shared/portable-approval-store.ts';
import { PortableMemoryStore } from '../shared/portable-memory-store.ts';
import { PortableRunStore } from '../shared/portable-run-store.ts';
import { PortableSessionStore } from '../shared/portable-session-store.ts';
import { PortableSigningKeyStore } from '../shared/portable-signing-key-store.ts';
import { PortableUserStore } from '../shared/portable-user-store.ts';
import type { Store } from '../types.ts';
import { migratePostgres } from './migrate-postgres.ts';
import { assertReachable, describeDatabase, openPostgresPool } from './open-postgres-pool.ts';
import { PostgresAuditLogStore } from './postgres-audit-log-store.ts';
import { PostgresConnectorCredentialStore } from './postgres-connector-credential-store.ts';
import { type PostgresContext, postgresPortable } from './postgres-context.ts';
import { PostgresDocumentStore } from './postgres-document-store.ts';
import { PostgresJtiStore } from './postgres-jti-store.ts';
import { PostgresMessageStore } from './postgres-message-store.ts';
import { PostgresThreadStore } from './postgres-thread-store.ts';
import { PostgresToolCallStore } from './postgres-tool-call-store.ts';
import { guardPool } from './unavailable-database.ts';

/** The PostgreSQL store, with its pool exposed for diagnostics and tamper tests. */
export interface PostgresStore extends Store {
  readonly kind: 'postgres';
  /** The pool every sub-store uses; ended by `close()`. */
  readonly pool: Pool;
}

/** Where the database is, how many connections to use, and the clock that stamps `updatedAt`. */
export interface PostgresStoreOptions {
  /** A `postgres://` URL or any connection string pg accepts. */
  connectionString: string;
  /** Connections at most in this process (10 by default). */
  poolSize?: number;
  /** How long to wait for a connection before failing (5 s by default). */
  connectTimeoutMs?: number;
  clock?: Clock;
  /** Errors of idle connections (e.g. a server restart); the pool replaces them either way. */
  onConnectionError?: (error: Error) => void;
}

/**
 * Connects to PostgreSQL and migrates the database to the current schema (under an advisory
 * lock, so processes starting together take turns). Refuses a database written by a newer
 * Behalf. An unreachable database fails with `AppError('unavailable')` naming host and port, at
 * start and on any later request made while it is down (HTTP 503; the pool reconnects by itself).
 * Many processes may open stores on one database: every concurrency guarantee of the port
 * (message seqs, compare-and-sets, jti claims, tool-call intents, the one audit chain) holds
 * across them.
 */
export async function createPostgresStore(options: PostgresStoreOptions): Promise<PostgresStore> {
  const location = describeDatabase(options.connectionString);
  const pool = openPostgresPool(options);
  const kysely = new Kysely<StorageDatabase>({ dialect: new PostgresDialect({ pool: guardPool(pool, location) }) });
  try {
    await assertReachable(pool, location);
    await migratePostgres(kysely as unknown as Kysely<unknown>);
  } catch (error) {
    await kysely.destroy();
    throw error;
  }
  const context: PostgresContext = { pool, location, kysely, clock: options.clock ?? systemClock };
  const portable = postgresPortable(context);
  let closing: Promise<void> | undefined;
  return {
    kind: 'postgres',
    pool,
    users: new PortableUserStore(portable),
    sessions: new PortableSessionStore(portable),
    threads: new PostgresThreadStore(context),
    messages: new PostgresMessageStore(context),
    runs: new PortableRunStore(portable),
    approvals: new PortableApprovalStore(portable),
    documents: new PostgresDocumentStore(context),
    audit: new PostgresAuditLogStore(context),
    signingKeys: new PortableSigningKeyStore(portable),
    jtis: new PostgresJtiStore(context),
    toolCalls: new PostgresToolCallStore(context),
    connectorCredentials: new PostgresConnectorCredentialStore(context),
    agents: new PortableAgentIdentityStore(portable),
    memories: new PortableMemoryStore(portable),
    close() {
      closing ??= kysely.destroy();
      return closing;
    },
  };
}
