import {
  ACME_HARDENING_SQL,
  ACME_POLICY_COMMENTS_SQL,
  ACME_SCHEMA_SQL,
  ACME_SCHEMA_VERSION,
} from '../../support/acme/schema.ts';
import { acmeSeedSql } from '../../support/acme/seed-sql.ts';

const REGENERATE = 'BEHALF_WRITE_ACME_SQL=1 npx vitest run test/sources/workspace/acme-workspace-source.test.ts';

/** The files of `examples/acme/sql/`, as the Acme TypeScript produces them. */
export function acmeSqlFiles(): { 'schema.sql': string; 'seed.sql': string } {
  return {
    'schema.sql': `-- The Acme demo schema: roles, tables, row-level security policies and their descriptions, and
-- hardening. Run once on an empty database (the workspace's \`setup\`). Generated from
-- test/support/acme/schema.ts; regenerate with: ${REGENERATE}
${ACME_SCHEMA_SQL}
${ACME_POLICY_COMMENTS_SQL}
${ACME_HARDENING_SQL}
INSERT INTO acme_private.schema_version (version) VALUES (${ACME_SCHEMA_VERSION});
`,
    'seed.sql': `-- The Acme demo data: 40 employees, their compensation, 30 deals, 12 incidents, 3 tickets.
-- Generated from test/support/acme/seed-data.ts; regenerate with: ${REGENERATE}
${acmeSeedSql()}
ANALYZE employees, compensation, deals, incidents, tickets;
`,
  };
}
