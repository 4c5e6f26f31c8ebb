import type { Migration } from 'kysely';
import { coreSchemaMigration } from './0001-core-schema.ts';
import { documentSearchMigration } from './0002-document-search.ts';
import { connectorCredentialsMigration } from './0003-connector-credentials.ts';
import { agentIdentitiesMigration } from './0004-agent-identities.ts';
import { shareReadersMigration } from './0005-share-readers.ts';
import { auditStatementsMigration } from './0006-audit-statements.ts';
import { userDirectoryMigration } from './0007-user-directory.ts';
import { documentOriginsMigration } from './0008-document-origins.ts';
import { agentMemoryMigration } from './0009-agent-memory.ts';
import { splitAnswersMigration } from './0010-split-answers.ts';
import type { SchemaDialect } from './schema-dialect.ts';

/**
 * Every migration of the store, in order. Names start with a zero-padded number: Kysely applies
 * them in name order, and the number of the last one applied is the database's schema version.
 * Never edit or rename a migration that has shipped; add the next one.
 */
export function storageMigrations(dialect: SchemaDialect): Record<string, Migration> {
  return {
    '0001-core-schema': coreSchemaMigration(dialect),
    '0002-document-search': documentSearchMigration(dialect),
    '0003-connector-credentials': connectorCredentialsMigration(),
    '0004-agent-identities': agentIdentitiesMigration(),
    '0005-share-readers': shareReadersMigration(),
    '0006-audit-statements': auditStatementsMigration(),
    '0007-user-directory': userDirectoryMigration(),
    '0008-document-origins': documentOriginsMigration(),
    '0009-agent-memory': agentMemoryMigration(),
    '0010-split-answers': splitAnswersMigration(),
  };
}

/** The schema version a migration name stands for (`0002-document-search` → 2). */
export function versionOfMigration(name: string): number {
  const match = /^(\d+)-/.exec(name);
  return match ? Number(match[1]) : Number.NaN;
}
