import { type Kysely, type Migration, sql } from 'kysely';
import type { SchemaDialect } from './schema-dialect.ts';

/**
 * Every table of the store, in portable DDL: text ids, bigint millisecond timestamps, JSON as
 * text. Foreign keys tie the parts that make no sense alone (members, messages and runs to their
 * thread, approvals to their run, readers to their document); the audit log and tool-call
 * intents have none, because a write they need must never fail on a missing parent.
 */
export function coreSchemaMigration(dialect: SchemaDialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await createIdentityTables(db);
      await createThreadTables(db);
      await createAgentTables(db);
      await createDocumentTables(db);
      await createAuditTable(db, dialect);
      await createDelegationTables(db);
    },
    async down(db: Kysely<unknown>) {
      const tables = [
        'tool_calls',
        'jtis',
        'signing_keys',
        'audit_log',
        'document_readers',
        'documents',
        'standing_approvals',
        'approvals',
        'runs',
        'messages',
        'thread_members',
        'threads',
        'sessions',
        'users',
      ];
      for (const table of tables) await db.schema.dropTable(table).execute();
    },
  };
}

async function createIdentityTables(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('name', 'text', (column) => column.notNull())
    .addColumn('title', 'text', (column) => column.notNull())
    .addColumn('groups', 'text', (column) => column.notNull())
    .addColumn('manager_id', 'text')
    .addColumn('version', 'integer', (column) => column.notNull())
    .execute();
  await db.schema
    .createTable('sessions')
    .addColumn('token_hash', 'text', (column) => column.primaryKey())
    .addColumn('user_id', 'text', (column) => column.notNull())
    .addColumn('csrf_token', 'text', (column) => column.notNull())
    .addColumn('created_at', 'bigint', (column) => column.notNull())
    .addColumn('expires_at', 'bigint', (column) => column.notNull())
    .execute();
  await db.schema.createIndex('sessions_expires_at').on('sessions').column('expires_at').execute();
}

async function createThreadTables(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('threads')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('title', 'text', (column) => column.notNull())
    .addColumn('owner_id', 'text', (column) => column.notNull())
    .addColumn('mode', 'text', (column) => column.notNull())
    .addColumn('agent_groups', 'text', (column) => column.notNull())
    .addColumn('created_at', 'bigint', (column) => column.notNull())
    .addColumn('version', 'integer', (column) => column.notNull())
    .execute();
  await db.schema
    .createTable('thread_members')
    .addColumn('thread_id', 'text', (column) => column.notNull().references('threads.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (column) => column.notNull())
    .addPrimaryKeyConstraint('thread_members_pk', ['thread_id', 'user_id'])
    .execute();
  await db.schema.createIndex('thread_members_user').on('thread_members').columns(['user_id', 'thread_id']).execute();
  await db.schema
    .createTable('messages')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('thread_id', 'text', (column) => column.notNull().references('threads.id').onDelete('cascade'))
    .addColumn('seq', 'bigint', (column) => column.notNull())
    .addColumn('kind', 'text', (column) => column.notNull())
    .addColumn('author_id', 'text')
    .addColumn('text', 'text', (column) => column.notNull())
    .addColumn('audience', 'text', (column) => column.notNull())
    .addColumn('labels', 'text', (column) => column.notNull())
    .addColumn('run_id', 'text')
    .addColumn('requester_id', 'text')
    .addColumn('private_reason', 'text')
    .addColumn('shared_by', 'text')
    .addColumn('created_at', 'bigint', (column) => column.notNull())
    // Also the index that finds a thread's next seq and pages its history.
    .addUniqueConstraint('messages_thread_seq', ['thread_id', 'seq'])
    .execute();
}

async function createAgentTables(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('runs')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('thread_id', 'text', (column) => column.notNull().references('threads.id').onDelete('cascade'))
    .addColumn('requester_id', 'text', (column) => column.notNull())
    .addColumn('trigger_message_id', 'text', (column) => column.notNull())
    .addColumn('mode', 'text', (column) => column.notNull())
    .addColumn('status', 'text', (column) => column.notNull())
    .addColumn('answer_message_id', 'text')
    .addColumn('error', 'text')
    .addColumn('steps', 'text', (column) => column.notNull())
    .addColumn('labels', 'text', (column) => column.notNull())
    .addColumn('state', 'text', (column) => column.notNull())
    .addColumn('created_at', 'bigint', (column) => column.notNull())
    .addColumn('updated_at', 'bigint', (column) => column.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_expires_at', 'bigint')
    .execute();
  await db.schema.createIndex('runs_status').on('runs').columns(['status', 'created_at']).execute();
  await db.schema.createIndex('runs_thread').on('runs').column('thread_id').execute();
  await db.schema
    .createTable('approvals')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('run_id', 'text', (column) => column.notNull().references('runs.id').onDelete('cascade'))
    .addColumn('thread_id', 'text', (column) => column.notNull())
    .addColumn('requester_id', 'text', (column) => column.notNull())
    .addColumn('tool', 'text', (column) => column.notNull())
    .addColumn('call_id', 'text', (column) => column.notNull())
    .addColumn('args', 'text', (column) => column.notNull())
    .addColumn('status', 'text', (column) => column.notNull())
    .addColumn('always', 'integer', (column) => column.notNull())
    .addColumn('created_at', 'bigint', (column) => column.notNull())
    .addColumn('decided_at', 'bigint')
    .execute();
  await db.schema.createIndex('approvals_run').on('approvals').column('run_id').execute();
  await db.schema.createIndex('approvals_requester').on('approvals').columns(['requester_id', 'status']).execute();
  await db.schema
    .createTable('standing_approvals')
    .addColumn('user_id', 'text', (column) => column.notNull())
    .addColumn('tool', 'text', (column) => column.notNull())
    .addColumn('created_at', 'bigint', (column) => column.notNull())
    .addPrimaryKeyConstraint('standing_approvals_pk', ['user_id', 'tool'])
    .execute();
  await db.schema
    .createTable('tool_calls')
    .addColumn('call_id', 'text', (column) => column.primaryKey())
    .addColumn('run_id', 'text', (column) => column.notNull())
    .addColumn('tool', 'text', (column) => column.notNull())
    .addColumn('args_hash', 'text', (column) => column.notNull())
    .addColumn('started_at', 'bigint', (column) => column.notNull())
    .addColumn('completed_at', 'bigint')
    .execute();
  // Recovery after a crash only ever looks for the few calls that never completed.
  await db.schema
    .createIndex('tool_calls_incomplete')
    .on('tool_calls')
    .column('run_id')
    .where(sql.ref('completed_at'), 'is', null)
    .execute();
}

async function createDocumentTables(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('documents')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('title', 'text', (column) => column.notNull())
    .addColumn('body', 'text', (column) => column.notNull())
    .addColumn('label', 'text', (column) => column.notNull())
    .addColumn('readers', 'text', (column) => column.notNull())
    .addColumn('version', 'integer', (column) => column.notNull())
    .execute();
  await db.schema
    .createTable('document_readers')
    .addColumn('document_id', 'text', (column) => column.notNull().references('documents.id').onDelete('cascade'))
    .addColumn('principal', 'text', (column) => column.notNull())
    .addPrimaryKeyConstraint('document_readers_pk', ['document_id', 'principal'])
    .execute();
  await db.schema
    .createIndex('document_readers_principal')
    .on('document_readers')
    .columns(['principal', 'document_id'])
    .execute();
}

async function createAuditTable(db: Kysely<unknown>, dialect: SchemaDialect): Promise<void> {
  await db.schema
    .createTable('audit_log')
    .addColumn('seq', dialect.sequenceType, (column) => column.primaryKey())
    // No unique index on `id`: ids are random and never looked up, and every index costs each
    // append (the chain's `seq` is the key).
    .addColumn('id', 'text', (column) => column.notNull())
    .addColumn('at', 'bigint', (column) => column.notNull())
    .addColumn('requester', 'text')
    .addColumn('agent', 'text')
    .addColumn('mode', 'text', (column) => column.notNull())
    .addColumn('thread_id', 'text')
    .addColumn('run_id', 'text')
    .addColumn('action', 'text', (column) => column.notNull())
    .addColumn('resource', 'text', (column) => column.notNull())
    .addColumn('decision', 'text', (column) => column.notNull())
    .addColumn('policies', 'text', (column) => column.notNull())
    .addColumn('reason', 'text')
    .addColumn('args_hash', 'text')
    .addColumn('result_hash', 'text')
    .addColumn('labels', 'text')
    .addColumn('call_id', 'text')
    .addColumn('prev_hash', 'text', (column) => column.notNull())
    .addColumn('hash', 'text', (column) => column.notNull())
    .execute();
  // The filters people actually use (`/api/audit?user=&thread=&run=`); each index costs every append.
  await db.schema.createIndex('audit_log_requester').on('audit_log').columns(['requester', 'seq']).execute();
  await db.schema.createIndex('audit_log_thread').on('audit_log').columns(['thread_id', 'seq']).execute();
  await db.schema.createIndex('audit_log_run').on('audit_log').columns(['run_id', 'seq']).execute();
}

async function createDelegationTables(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('signing_keys')
    .addColumn('kid', 'text', (column) => column.primaryKey())
    .addColumn('public_jwk', 'text', (column) => column.notNull())
    .addColumn('private_jwk', 'text', (column) => column.notNull())
    .addColumn('created_at', 'bigint', (column) => column.notNull())
    .addColumn('retired_at', 'bigint')
    .execute();
  await db.schema
    .createTable('jtis')
    .addColumn('jti', 'text', (column) => column.primaryKey())
    .addColumn('expires_at', 'bigint', (column) => column.notNull())
    .execute();
  await db.schema.createIndex('jtis_expires_at').on('jtis').column('expires_at').execute();
}
