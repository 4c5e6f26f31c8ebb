export { type AcmeSource, type AcmeSourceOptions, createAcmeSource } from './acme/acme-source.ts';
export { type AcmeSourceTemplate, type AcmeTemplateOptions, acmeSourceTemplate } from './acme/acme-template.ts';
export {
  type CreatedTicket,
  createTicket,
  type TicketInput,
  TicketInputSchema,
} from './acme/create-ticket.ts';
export { ACME_DIRECTORY, ACME_TABLE_LABELS, ACME_TICKET_LABEL } from './acme/labels.ts';
export {
  ACME_ACCESS,
  ACME_HARDENING_SQL,
  ACME_REVOKED_FUNCTIONS,
  ACME_SCHEMA_SQL,
  ACME_SCHEMA_VERSION,
} from './acme/schema.ts';
export { acmeSeedSql, loadAcme } from './acme/seed.ts';
export {
  ACME_COMPENSATION,
  ACME_DEALS,
  ACME_EMPLOYEES,
  ACME_INCIDENTS,
  type AcmeDeal,
  type AcmeEmployee,
  type AcmeIncident,
} from './acme/seed-data.ts';
export {
  acmePrincipal,
  canSeeIncidents,
  reportsOf,
  visibleCompensationIds,
  visibleDealRegions,
} from './acme/visibility-oracle.ts';
export { compilePgliteWasm } from './pglite-engine.ts';
export {
  createPgliteSource,
  type PgliteSetupTarget,
  type PgliteSource,
  type PgliteSourceOptions,
} from './pglite-source.ts';
export { PUBLIC_LABEL, UNCLASSIFIED_LABEL } from './result-labels.ts';
export { SqlQueryError, type SqlQueryErrorKind } from './sql-query-error.ts';
export { type ReadOnlyQueryOptions, runAsWriter, runReadOnlyQuery } from './sql-runner.ts';
export { SqlSourceError, sqlStateOf } from './sql-source-error.ts';
export type {
  SqlAccessProfile,
  SqlDataSource,
  SqlExecutor,
  SqlPrincipal,
  SqlQueryOptions,
  SqlResult,
  SqlRows,
  SqlSource,
  SqlTransactionOptions,
  TableLabelRule,
  TableLabelRules,
} from './types.ts';
