import { fileURLToPath } from 'node:url';
import type { FairUseSettings } from '../../../src/sources/fair-use.ts';
import { SqlQueryError } from '../../../src/sources/sql-query-error.ts';
import type { SqlDataSource, SqlPrincipal } from '../../../src/sources/types.ts';
import type { WorkspaceSqlSource } from '../../../src/sources/workspace/open-workspace-source.ts';
import { type CompiledAction, compileAction, runSourceAction } from '../../../src/sources/workspace/source-action.ts';
import {
  type WorkspaceSourceTemplate,
  workspaceSourceTemplate,
} from '../../../src/sources/workspace/source-template.ts';
import { loadWorkspace } from '../../../src/workspace/load-workspace.ts';
import type { SourceSpec } from '../../../src/workspace/workspace-config.ts';

/** The example workspace Acme (SPEC §4): `examples/acme`. */
export const ACME_WORKSPACE_DIR = fileURLToPath(new URL('../../../examples/acme/', import.meta.url));

/** An embedded copy of the Acme source, opened through the workspace path, with its PGlite extras. */
export type AcmeSource = WorkspaceSqlSource & {
  exec(script: string): Promise<void>;
  snapshot(): Promise<Uint8Array>;
  readonly restarts: number;
};

/** A set-up Acme database kept as a snapshot, from which tests clone fresh sources. */
export interface AcmeSourceTemplate {
  /** A new, independent in-memory Acme source (~0.7 s instead of its setup's 2–3 s). Close it. */
  clone(options?: { fairUse?: Partial<FairUseSettings> }): Promise<AcmeSource>;
  readonly snapshot: Uint8Array;
}

/** The Acme source as `examples/acme/behalf.yaml` declares it. */
export async function acmeSourceSpec(): Promise<SourceSpec> {
  const { config } = await loadWorkspace(ACME_WORKSPACE_DIR);
  const spec = config.sources.find((source) => source.name === 'acme');
  if (!spec) throw new Error('examples/acme declares no source named acme');
  return spec;
}

/** Its declared writes (`actions:`), compiled: `create_ticket`. */
export async function acmeActions(): Promise<CompiledAction[]> {
  return (await acmeSourceSpec()).actions?.map(compileAction) ?? [];
}

/** Builds (or reads from the cache) the set-up Acme snapshot; `clone()` per test or file. */
export async function acmeSourceTemplate(): Promise<AcmeSourceTemplate> {
  const template: WorkspaceSourceTemplate = await workspaceSourceTemplate(await acmeSourceSpec(), {
    workspaceDir: ACME_WORKSPACE_DIR,
  });
  return {
    snapshot: template.snapshot,
    clone: async (options) => asAcmeSource((await template.clone(options)).source),
  };
}

/** A workspace source that is embedded, typed with what embedded sources have. */
export function asAcmeSource(source: WorkspaceSqlSource): AcmeSource {
  if (!source.exec || !source.snapshot) throw new Error(`source ${source.name} is not embedded`);
  return source as AcmeSource;
}

/** A ticket as the tests read it: the row `create_ticket` returned, and its labels. */
export interface CreatedTicket {
  id: number;
  title: string;
  body: string;
  severity: string;
  reporterId: string;
  createdAt: string;
  labels: string[];
}

let createTicketAction: Promise<CompiledAction> | undefined;

/** Runs the workspace's `create_ticket` action as `principal` (what the tool runs). */
export async function createTicket(
  source: SqlDataSource,
  principal: SqlPrincipal,
  input: unknown,
): Promise<CreatedTicket> {
  createTicketAction ??= acmeActions().then((actions) => {
    const found = actions.find((action) => action.name === 'create_ticket');
    if (!found) throw new Error('examples/acme declares no create_ticket action');
    return found;
  });
  const result = await runSourceAction(source, principal, await createTicketAction, input);
  const row = result.rows[0];
  if (!row) throw new SqlQueryError('failed', 'the ticket was not stored');
  return {
    id: row.id as number,
    title: row.title as string,
    body: row.body as string,
    severity: row.severity as string,
    reporterId: row.reporterId as string,
    createdAt: new Date(row.createdAt as string).toISOString(),
    labels: result.labels,
  };
}
