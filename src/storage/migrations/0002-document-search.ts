import type { Kysely, Migration } from 'kysely';
import type { SchemaDialect } from './schema-dialect.ts';

/**
 * The documents full-text index. Its own migration because it is the one part of the schema
 * each database builds differently (see `SchemaDialect.createDocumentSearch`).
 */
export function documentSearchMigration(dialect: SchemaDialect): Migration {
  return {
    up: (db: Kysely<unknown>) => dialect.createDocumentSearch(db),
    down: (db: Kysely<unknown>) => dialect.dropDocumentSearch(db),
  };
}
