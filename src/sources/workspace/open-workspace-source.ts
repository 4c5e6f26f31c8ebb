import type { SourceSpec } from '../../workspace/workspace-config.ts';
import { createFairUse, type FairUseSettings, PGLITE_FAIR_USE, postgresFairUse } from '../fair-use.ts';
import { parseDataSourceUrl, redactDataSourceUrl } from '../open-sql-data-source.ts';
import { createPgliteSource } from '../pglite-source.ts';
import { createPostgresSource, describePostgres } from '../postgres-source.ts';
import { RowSecurityRulesCache } from '../row-security-rules.ts';
import type { SourcePerson, SqlDataSource, SqlExecutor, SqlSource, TableLabelRules } from '../types.ts';
import { setUpThroughAdmin } from './admin-setup.ts';
import { expandEnv } from './expand-env.ts';
import { DENIED_FUNCTIONS, EMBEDDED_HARDENING_SQL } from './hardening.ts';
import { type CompiledIdentity, compileIdentity } from './identity-templates.ts';
import { findSourceProblems, type SourceFinding } from './inspect-source.ts';
import { ActionSpecError, type CompiledAction, compileAction } from './source-action.ts';
import { applySetupOnce, readSetupScripts, type SetupOutcome, setupHash } from './source-setup.ts';
import { compileTableLabels, qualifiedTableName, splitTableName, tableKey } from './source-tables.ts';

/** Where a workspace's sources live and what they may read. */
export interface OpenWorkspaceSourceOptions {
  /** The deployment's data directory: `pglite:NAME` is `<dataDir>/NAME`. */
  dataDir: string;
  /** Expands `${VAR}` and `${VAR:-default}` in the url (the composition root passes process.env). */
  env: Readonly<Record<string, string | undefined>>;
  /** The workspace directory: `setup` files are relative to it. */
  workspaceDir: string;
  /** A compiled `pglite.wasm` to share between embedded sources. */
  wasmModule?: WebAssembly.Module;
  /**
   * PGlite: start a new database from this data-directory tarball (a source's `snapshot()` after
   * its setup ran) instead of an empty one, so tests and benchmarks clone a set-up source in a
   * fraction of the setup's time. Its setup record makes the setup a no-op.
   */
  snapshot?: Uint8Array;
  /** PostgreSQL: connections at most (10 by default). */
  poolSize?: number;
  /** PostgreSQL: how long to wait for a connection (5 s by default). */
  connectTimeoutMs?: number;
  /**
   * Deployment-wide fair use (`fairUseSettingsFromEnv`); the source's own `limits` override it,
   * and the engine's defaults fill the rest.
   */
  fairUse?: Partial<FairUseSettings>;
  /**
   * A role for the write tools of trusted code (`runAsWriter`, e.g. a ticket tool), acting with
   * the same identity settings; refused like the query role when it is missing, superuser or
   * BYPASSRLS. Default: the source's `writeRole` (what its `actions` run as).
   */
  writerRole?: string;
}

/** A workspace source, ready for the `sql` tool: a `SqlDataSource` plus what describes it. */
export interface WorkspaceSqlSource extends SqlDataSource {
  /** The source's name in behalf.yaml. */
  readonly name: string;
  /** The tool name it declares (`tool:`), if any; the workspace decides the default. */
  readonly toolName: string | undefined;
  readonly engine: 'pglite' | 'postgres';
  /** The url with any password replaced. */
  readonly location: string;
  readonly identity: CompiledIdentity;
  /**
   * A description for the model: the source and the labelled tables the role can read, with
   * their readable columns. Read from the catalog at open.
   */
  readonly description: string;
  /** What was found at open (warnings only: errors refuse the open). */
  readonly findings: readonly SourceFinding[];
  /** Checks the database again (the administrator's page, doctor on a running server). */
  inspect(): Promise<SourceFinding[]>;
  /** PGlite only: the data directory as a tarball, to open clones from (`snapshot` option). */
  snapshot?(): Promise<Uint8Array>;
  /** PGlite only: runs a trusted script as the embedded superuser (setup and tests, never model output). */
  exec?(script: string): Promise<void>;
  /** PGlite only: how often the engine was restarted after a statement overran its deadline. */
  readonly restarts?: number;
  /** The placeholders `person` cannot fill: non-empty means each query of theirs is refused. */
  missingValues(person: SourcePerson): string[];
}

/** An opened source and what was found. */
export interface OpenedWorkspaceSource {
  source: WorkspaceSqlSource;
  findings: SourceFinding[];
  /** Its declared writes (`actions:`), compiled: each becomes a write tool. */
  actions: CompiledAction[];
}

/** A source that was refused: its findings say why, each with its fix. */
export class WorkspaceSourceError extends Error {
  override readonly name = 'WorkspaceSourceError';
  constructor(
    readonly source: string,
    readonly findings: readonly SourceFinding[],
    options?: { cause?: unknown },
  ) {
    super(
      `data source ${source} is refused: ${findings
        .filter((finding) => finding.severity === 'error')
        .map((finding) => `${finding.message} (fix: ${finding.fix})`)
        .join('; ')}`,
      options,
    );
  }
}

/** A source's declaration, checked: everything that can be known without connecting. */
interface CompiledSpec {
  url: string;
  /** PostgreSQL: the superuser URL that runs the setup, when one is given. */
  adminUrl: string | undefined;
  identity: CompiledIdentity;
  tableLabels: TableLabelRules;
  actions: CompiledAction[];
}

function failure(spec: SourceSpec, message: string, fix: string): SourceFinding {
  return { severity: 'error', area: 'sources', source: spec.name, message, fix };
}

function compileSpec(spec: SourceSpec, options: OpenWorkspaceSourceOptions): CompiledSpec {
  const at = `source ${spec.name}`;
  let url: string;
  try {
    url = expandEnv(spec.url, options.env, `${at}: url`);
  } catch (error) {
    throw new WorkspaceSourceError(spec.name, [
      failure(
        spec,
        (error as Error).message,
        `set the variable, or give a default: url: \${NAME:-pglite:${spec.name}}`,
      ),
    ]);
  }
  let adminUrl: string | undefined;
  try {
    adminUrl =
      spec.adminUrl === undefined ? undefined : expandEnv(spec.adminUrl, options.env, `${at}: adminUrl`) || undefined;
  } catch (error) {
    throw new WorkspaceSourceError(spec.name, [
      failure(spec, (error as Error).message, `set the variable, or give a default: adminUrl: \${NAME:-}`),
    ]);
  }
  let identity: CompiledIdentity;
  try {
    identity = compileIdentity(spec.identity, `${at}: identity`);
  } catch (error) {
    throw new WorkspaceSourceError(spec.name, [
      failure(spec, (error as Error).message, `correct sources[${spec.name}].identity in behalf.yaml`),
    ]);
  }
  let tableLabels: TableLabelRules;
  try {
    tableLabels = compileTableLabels(spec.tables);
  } catch (error) {
    throw new WorkspaceSourceError(spec.name, [
      failure(spec, `${at}: ${(error as Error).message}`, `correct sources[${spec.name}].tables in behalf.yaml`),
    ]);
  }
  const actions: CompiledAction[] = [];
  for (const action of spec.actions ?? []) {
    try {
      actions.push(compileAction(action));
    } catch (error) {
      const key = error instanceof ActionSpecError ? error.key : 'sql';
      throw new WorkspaceSourceError(spec.name, [
        failure(
          spec,
          `${at}: action ${action.name}: ${(error as Error).message}`,
          `correct sources[${spec.name}].actions[${action.name}].${key} in behalf.yaml`,
        ),
      ]);
    }
  }
  return { url, adminUrl, identity, tableLabels, actions };
}

interface Engine {
  source: SqlSource & {
    exec?: (script: string) => Promise<void>;
    snapshot?: () => Promise<Uint8Array>;
    readonly restarts?: number;
  };
  engine: 'pglite' | 'postgres';
  setup: SetupOutcome | undefined;
  /** PostgreSQL: the setup ran through `adminUrl`. */
  adminSetup: boolean;
}

async function openEngine(
  spec: SourceSpec,
  compiled: CompiledSpec,
  options: OpenWorkspaceSourceOptions,
): Promise<Engine> {
  const location = parseDataSourceUrl(compiled.url, options.dataDir);
  const scripts = spec.setup ? await readSetupScripts(spec.setup, options.workspaceDir) : [];
  const hash = setupHash(scripts);
  if (location.engine === 'postgres') {
    const setup = compiled.adminUrl
      ? await setUpThroughAdmin({
          adminUrl: compiled.adminUrl,
          login: describePostgres(location.connectionString),
          source: spec.name,
          scripts,
          hash,
          roles: [spec.identity.role, ...writerRoles(spec, options)],
          schemas: [...new Set(Object.keys(spec.tables).map((table) => splitTableName(tableKey(table)).schema))],
        })
      : undefined;
    const source = await createPostgresSource({
      connectionString: location.connectionString,
      ...(options.poolSize === undefined ? {} : { poolSize: options.poolSize }),
      ...(options.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: options.connectTimeoutMs }),
    });
    return { source, engine: 'postgres', setup, adminSetup: compiled.adminUrl !== undefined };
  }
  let setup: SetupOutcome | undefined;
  const source = await createPgliteSource({
    ...(location.dataDir ? { dataDir: location.dataDir } : {}),
    ...(options.wasmModule ? { wasmModule: options.wasmModule } : {}),
    ...(options.snapshot ? { snapshot: options.snapshot } : {}),
    // After every start (an in-memory database restarts empty after a deadline): the setup once
    // per database, then Behalf's own hardening, idempotent.
    setup: async (target) => {
      if (scripts.length > 0) setup = await applySetupOnce(target, spec.name, scripts, hash);
      await target.exec(EMBEDDED_HARDENING_SQL);
    },
  });
  return { source, engine: 'pglite', setup, adminSetup: false };
}

function writerRoles(spec: SourceSpec, options: OpenWorkspaceSourceOptions): string[] {
  const role = options.writerRole ?? spec.writeRole;
  return role ? [role] : [];
}

/** Findings that depend on the declaration and the open, not on the database. */
function openFindings(spec: SourceSpec, engine: Engine): SourceFinding[] {
  const findings: SourceFinding[] = [];
  if (engine.engine === 'postgres' && !engine.adminSetup && spec.setup?.length) {
    findings.push({
      severity: 'warning',
      area: 'sources',
      source: spec.name,
      message: `source ${spec.name}: setup runs on embedded (pglite:) sources only, or through adminUrl, so ${spec.setup.join(', ')} did not run on this PostgreSQL`,
      fix: `run the files on the database yourself (psql -f …) and remove setup from sources[${spec.name}], or give it an adminUrl`,
    });
  }
  if (engine.setup === 'changed') {
    findings.push({
      severity: 'warning',
      area: 'sources',
      source: spec.name,
      message: `source ${spec.name}: its setup files changed since its embedded database was created; the database was left as it is`,
      fix: `delete the source's directory in the data directory (its data will be lost) to create it again from the new setup`,
    });
  }
  return findings;
}

type DescribedTable = { name: string; columns: string[] };

/** The labelled tables the role can read, with the columns it can read, for the model. */
async function describeForModel(executor: SqlExecutor, spec: SourceSpec, role: string): Promise<string> {
  const keys = Object.keys(spec.tables).map(tableKey);
  const { rows } =
    keys.length === 0
      ? { rows: [] as DescribedTable[] }
      : await executor.query<DescribedTable>(
          `SELECT t.key AS name,
                  ARRAY(SELECT a.attname::text FROM pg_catalog.pg_attribute a
                         WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                           AND pg_catalog.has_column_privilege(r.oid, c.oid, a.attnum, 'SELECT')
                         ORDER BY a.attnum) AS columns
             FROM unnest($1::text[], $2::text[]) AS t(key, qualified)
             JOIN pg_catalog.pg_class c ON c.oid = pg_catalog.to_regclass(t.qualified)
             JOIN pg_catalog.pg_roles r ON r.rolname = $3`,
          [keys, keys.map(qualifiedTableName), role],
        );
  const described = keys
    .map((key) => rows.find((row) => row.name === key))
    .filter((row): row is DescribedTable => row !== undefined && row.columns.length > 0)
    .map((row) => {
      const note = Object.entries(spec.tables).find(([name]) => tableKey(name) === row.name)?.[1].description;
      return `${row.name}(${row.columns.join(', ')})${note ? ` — ${note}` : ''}`;
    });
  const what = spec.description ? `${spec.name} (${spec.description})` : spec.name;
  return (
    `Run one read-only SQL query (PostgreSQL dialect) on the ${what} database with your own permissions. ` +
    (described.length > 0 ? `Tables: ${described.join('; ')}.` : 'No table is readable yet.')
  ).slice(0, 4000);
}

/** Opens the engine and inspects it, refusing nothing: what both opening and doctor need. */
async function openInspected(
  spec: SourceSpec,
  options: OpenWorkspaceSourceOptions,
): Promise<{ compiled: CompiledSpec; engine: Engine; findings: SourceFinding[] }> {
  const compiled = compileSpec(spec, options);
  let engine: Engine;
  try {
    engine = await openEngine(spec, compiled, options);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new WorkspaceSourceError(
      spec.name,
      [
        failure(
          spec,
          `source ${spec.name} (${redactDataSourceUrl(compiled.url)}) cannot be opened: ${reason}`,
          'check the url, that the server is running and accepts this login, and the setup files',
        ),
      ],
      { cause: error },
    );
  }
  try {
    const findings = [
      ...openFindings(spec, engine),
      ...(await findSourceProblems(engine.source, {
        name: spec.name,
        engine: engine.engine,
        role: spec.identity.role,
        tables: spec.tables,
      })),
    ];
    return { compiled, engine, findings };
  } catch (error) {
    await engine.source.close().catch(() => undefined);
    throw error;
  }
}

/**
 * Opens a workspace source (SPEC §12): expands `${VAR}` in its url, opens PGlite
 * (`pglite:NAME` under `dataDir`, `pglite:memory`; `setup` run once, then Behalf's hardening) or
 * a PostgreSQL pool, and inspects it as a database Behalf does not own (`findSourceProblems`).
 * Rejects with `WorkspaceSourceError` when anything is an error: the declaration (an unknown
 * placeholder, a malformed label, an unset variable), the connection, or the hardening (a
 * superuser or BYPASSRLS login or role, a role owning a labelled table...). Warnings come back
 * with the source. Model-written statements then run as `identity.role` with the person's
 * claims or settings, under the runner's protections (read-only wrapper, statement timeout,
 * cost budget and fair queue, row cap, functions refused from the plan).
 */
export async function openWorkspaceSource(
  spec: SourceSpec,
  options: OpenWorkspaceSourceOptions,
): Promise<OpenedWorkspaceSource> {
  const { compiled, engine, findings } = await openInspected(spec, options);
  const { source } = engine;
  const writerRole = options.writerRole ?? spec.writeRole;
  try {
    if (writerRole) {
      const writer = await findSourceProblems(source, {
        name: spec.name,
        engine: engine.engine,
        role: writerRole,
        tables: {},
      });
      findings.push(...writer.filter((finding) => finding.severity === 'error'));
    }
    if (findings.some((finding) => finding.severity === 'error')) throw new WorkspaceSourceError(spec.name, findings);
    const description = await describeForModel(source, spec, spec.identity.role);
    const defaults = engine.engine === 'pglite' ? PGLITE_FAIR_USE : postgresFairUse(options.poolSize);
    const fairUse = createFairUse({
      ...defaults,
      ...options.fairUse,
      ...(spec.limits?.statementTimeoutMs === undefined ? {} : { timeoutMs: spec.limits.statementTimeoutMs }),
      ...(spec.limits?.costBudget === undefined ? {} : { costBudget: spec.limits.costBudget }),
    });
    const inspect = () =>
      findSourceProblems(source, {
        name: spec.name,
        engine: engine.engine,
        role: spec.identity.role,
        tables: spec.tables,
      });
    const workspaceSource: WorkspaceSqlSource = {
      name: spec.name,
      toolName: spec.tool,
      engine: engine.engine,
      location: redactDataSourceUrl(compiled.url),
      identity: compiled.identity,
      access: writerRole ? { ...compiled.identity, writerRole } : compiled.identity,
      tableLabels: compiled.tableLabels,
      fairUse,
      rowSecurityRules: new RowSecurityRulesCache(),
      deniedFunctions: DENIED_FUNCTIONS,
      ...(spec.limits?.maxRows === undefined ? {} : { maxRows: spec.limits.maxRows }),
      description,
      findings,
      inspect: async () => [...openFindings(spec, engine), ...(await inspect())],
      missingValues: (person) => compiled.identity.missingValues(person),
      query: source.query.bind(source),
      transaction: source.transaction.bind(source),
      close: source.close.bind(source),
      ...(source.snapshot ? { snapshot: source.snapshot.bind(source) } : {}),
      ...(source.exec ? { exec: source.exec.bind(source) } : {}),
      get restarts() {
        return source.restarts;
      },
    };
    return { source: workspaceSource, findings, actions: compiled.actions };
  } catch (error) {
    await source.close().catch(() => undefined);
    throw error;
  }
}

/** What `inspectWorkspaceSource` checks besides the database. */
export interface InspectWorkspaceSourceOptions extends OpenWorkspaceSourceOptions {
  /** The workspace's people: each one whose identity cannot be filled is a finding. */
  people?: readonly SourcePerson[];
}

/**
 * Everything `behalf doctor` reports about one source, never throwing for a problem of the
 * workspace: the declaration, whether it can be reached, its hardening (`findSourceProblems`),
 * and each person whose claims or settings cannot be filled (`identityFindings`). Opens and closes
 * the source; for an embedded one that runs its setup. Do not point it at the embedded data
 * directory of a server that is running (PGlite is one process's): use the served source's
 * `inspect()` there.
 */
export async function inspectWorkspaceSource(
  spec: SourceSpec,
  options: InspectWorkspaceSourceOptions,
): Promise<SourceFinding[]> {
  const findings: SourceFinding[] = [];
  try {
    const { engine, findings: found } = await openInspected(spec, options);
    try {
      if (spec.writeRole) {
        const writer = await findSourceProblems(engine.source, {
          name: spec.name,
          engine: engine.engine,
          role: spec.writeRole,
          tables: {},
        });
        found.push(...writer.filter((finding) => finding.severity === 'error'));
      }
    } finally {
      await engine.source.close().catch(() => undefined);
    }
    findings.push(...found);
  } catch (error) {
    if (!(error instanceof WorkspaceSourceError)) throw error;
    findings.push(...error.findings);
  }
  findings.push(...identityFindings(spec, options.people ?? []));
  return findings;
}

/**
 * One warning per person whose identity on `spec` cannot be filled (`{{user.attributes.uid}}`
 * with no `uid`): every query of theirs on it is refused. Nothing when the declaration itself is
 * wrong (that is an error of the source, reported with it).
 */
export function identityFindings(spec: SourceSpec, people: readonly SourcePerson[]): SourceFinding[] {
  let identity: CompiledIdentity;
  try {
    identity = compileIdentity(spec.identity, `source ${spec.name}: identity`);
  } catch {
    return [];
  }
  return people.flatMap((person): SourceFinding[] => {
    const missing = identity.missingValues(person);
    if (missing.length === 0) return [];
    const attributes = missing.filter((text) => text.includes('attributes.'));
    return [
      {
        severity: 'warning',
        area: 'people',
        source: spec.name,
        message: `${person.id} cannot query source ${spec.name}: it identifies people by ${missing.join(', ')}, which ${person.id} has no value for`,
        fix:
          attributes.length > 0
            ? `give ${person.id} ${attributes.map((text) => text.replace(/^\{\{user\.attributes\.(.*)\}\}$/, '$1')).join(', ')} under attributes in behalf.yaml people (or have the identity provider send it), or change sources[${spec.name}].identity`
            : `give ${person.id} the missing value in behalf.yaml people (or from the identity provider), or change sources[${spec.name}].identity`,
      },
    ];
  });
}
