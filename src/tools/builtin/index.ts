import type { RunStore } from '../../agent/types.ts';
import type { DocumentStore } from '../../documents/types.ts';
import type { PolicyEngine } from '../../policy/types.ts';
import type { SourcePerson, SqlDataSource } from '../../sources/types.ts';
import type { CompiledAction } from '../../sources/workspace/source-action.ts';
import type { MessageStore } from '../../threads/types.ts';
import type { VisibilityChecker } from '../../threads/visibility.ts';
import type { GrantChecker } from '../grant-guard.ts';
import type { ToolDefinition } from '../types.ts';
import { createTicketTool } from './create-ticket-tool.ts';
import { getDocumentTool } from './get-document-tool.ts';
import { readContextTool } from './read-context-tool.ts';
import { searchDocumentsTool } from './search-documents-tool.ts';
import { sourceActionTool } from './source-action-tool.ts';
import { sqlTool } from './sql-tool.ts';

export { decideDocumentRead, policyPrincipalOf, readerPrincipalsOf } from './document-access.ts';
export { createTicketTool, getDocumentTool, readContextTool, searchDocumentsTool, sourceActionTool, sqlTool };

/**
 * The built-in tools: `read_context_item` (earlier labelled items of the thread, SPEC §13),
 * `search_documents` and `get_document` on the store's documents and, given a SQL data source,
 * `sql` and the write tool `create_ticket`.
 */
export function builtinTools(deps: {
  source?: SqlDataSource | undefined;
  /**
   * A workspace's SQL sources, each behind its own tool name (instead of `source`). The write tool
   * `create_ticket` stays with `source` alone.
   */
  sqlSources?: ReadonlyArray<{
    source: SqlDataSource;
    toolName: string;
    /** The source's name and its declared writes (`actions:`), each its own write tool. */
    sourceName?: string;
    actions?: readonly CompiledAction[];
  }>;
  /** The acting person's directory record, for sources whose identity templates need it. */
  person?: (id: string) => Promise<Omit<SourcePerson, 'id' | 'groups'> | undefined>;
  documents: DocumentStore;
  messages: MessageStore;
  runs: RunStore;
  visibility: VisibilityChecker;
  policy: PolicyEngine;
  grants: GrantChecker;
}): ToolDefinition[] {
  const documentTools = [
    readContextTool(deps) as ToolDefinition,
    searchDocumentsTool(deps) as ToolDefinition,
    getDocumentTool(deps) as ToolDefinition,
  ];
  const workspaceSql = (deps.sqlSources ?? []).flatMap(({ source, toolName, sourceName, actions }) => [
    sqlTool({ ...deps, source, name: toolName }) as ToolDefinition,
    ...(actions ?? []).map(
      (action) => sourceActionTool({ ...deps, source, sourceName: sourceName ?? toolName, action }) as ToolDefinition,
    ),
  ]);
  if (!deps.source) return [...workspaceSql, ...documentTools];
  const { source } = deps;
  return [
    sqlTool({ ...deps, source }) as ToolDefinition,
    ...workspaceSql,
    ...documentTools,
    createTicketTool({ ...deps, source }),
  ];
}
