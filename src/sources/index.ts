export {
  type AcmePostgresSource,
  type AcmePostgresSourceOptions,
  createAcmePostgresSource,
} from './acme/acme-postgres-source.ts';
export { type AcmeSource, type AcmeSourceOptions, createAcmeSource } from './acme/acme-source.ts';
export { type AcmeSourceTemplate, type AcmeTemplateOptions, acmeSourceTemplate } from './acme/acme-template.ts';
export {
  type CreatedTicket,
  createTicket,
  type TicketInput,
  TicketInputSchema,
} from './acme/create-ticket.ts';
export { ACME_DIRECTORY, ACME_TABLE_LABELS, ACME_TICKET_LABEL } from './acme/labels.ts';
export { acmeLoginGrantsSql, grantAcmeLogin } from './acme/login-role.ts';
export {
  ACME_ACCESS,
  ACME_HARDENING_SQL,
  ACME_REVOKED_FUNCTIONS,
  ACME_ROLES_SQL,
  ACME_ROW_SECURITY,
  ACME_SCHEMA_SQL,
  ACME_SCHEMA_VERSION,
  ACME_TABLES,
  ACME_UPGRADES,
} from './acme/schema.ts';
export { ACME_INSTALL_LOCK, type AcmeLoadOutcome, acmeSeedSql, loadAcme } from './acme/seed.ts';
export {
  ACME_COMPENSATION,
  ACME_DEALS,
  ACME_EMPLOYEES,
  ACME_INCIDENTS,
  type AcmeDeal,
  type AcmeEmployee,
  type AcmeIncident,
} from './acme/seed-data.ts';
export { FairQueryScheduler, type FairQuerySchedulerOptions } from './fair-query-scheduler.ts';
export {
  createFairUse,
  type FairUseSettings,
  fairUseSettingsFromEnv,
  PGLITE_FAIR_USE,
  postgresFairUse,
} from './fair-use.ts';
export { type LabelTemplate, parseLabelTemplate } from './label-templates.ts';
export {
  type DataSourceLocation,
  type OpenSqlDataSourceOptions,
  openSqlDataSource,
  parseDataSourceUrl,
  redactDataSourceUrl,
} from './open-sql-data-source.ts';
export { compilePgliteWasm } from './pglite-engine.ts';
export {
  createPgliteSource,
  type PgliteSetupTarget,
  type PgliteSource,
  type PgliteSourceOptions,
} from './pglite-source.ts';
export { deniedFunctionsCalled, labeledColumnsRead } from './plan-columns.ts';
export { plannedCost } from './plan-cost.ts';
export {
  createPostgresSource,
  describePostgres,
  type PostgresLocation,
  type PostgresSource,
  type PostgresSourceOptions,
} from './postgres-source.ts';
export { queryRolesSql } from './query-roles.ts';
export { type ColumnsRead, PUBLIC_LABEL, UNCLASSIFIED_LABEL } from './result-labels.ts';
export { SqlQueryError, type SqlQueryErrorKind } from './sql-query-error.ts';
export { type ReadOnlyQueryOptions, runAsWriter, runReadOnlyQuery } from './sql-runner.ts';
export { SqlSourceError, sqlStateOf, toSqlSourceError } from './sql-source-error.ts';
export type {
  SourcePerson,
  SourcePersonValue,
  SqlAccessProfile,
  SqlDataSource,
  SqlExecutor,
  SqlFairUse,
  SqlIdentityProfile,
  SqlPrincipal,
  SqlQueryOptions,
  SqlResult,
  SqlRows,
  SqlSetupTarget,
  SqlSource,
  SqlTransactionOptions,
  SqlUserGroupsProfile,
  TableLabelRule,
  TableLabelRules,
} from './types.ts';
export { assertRowSecurity, findRowSecurityProblems, type RowSecurityExpectations } from './verify-row-security.ts';
export * from './workspace/index.ts';
