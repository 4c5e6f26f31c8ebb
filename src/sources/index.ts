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
