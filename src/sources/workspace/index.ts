export { expandEnv } from './expand-env.ts';
export { DENIED_FUNCTIONS, EMBEDDED_HARDENING_SQL, ESCAPING_FUNCTIONS, workspaceHardeningSql } from './hardening.ts';
export {
  type CompiledIdentity,
  compileIdentity,
  type IdentitySpec,
  IdentityTemplateError,
  missingIdentityValues,
} from './identity-templates.ts';
export { findSourceProblems, type SourceFinding, type SourceInspection } from './inspect-source.ts';
export {
  type InspectWorkspaceSourceOptions,
  identityFindings,
  inspectWorkspaceSource,
  type OpenedWorkspaceSource,
  type OpenWorkspaceSourceOptions,
  openWorkspaceSource,
  WorkspaceSourceError,
  type WorkspaceSqlSource,
} from './open-workspace-source.ts';
export { applySetupOnce, readSetupScripts, type SetupOutcome, type SetupScript, setupHash } from './source-setup.ts';
export {
  compileTableLabels,
  qualifiedTableName,
  type TableLabelSpec,
  type TablesSpec,
  tableKey,
} from './source-tables.ts';
