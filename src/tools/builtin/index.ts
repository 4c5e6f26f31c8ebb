import type { RunStore } from '../../agent/types.ts';
import type { DocumentStore } from '../../documents/types.ts';
import type { MemoryStore } from '../../memory/types.ts';
import type { PolicyEngine } from '../../policy/types.ts';
import type { Clock } from '../../shared/clock.ts';
import type { IdGenerator } from '../../shared/ids.ts';
import type { SourcePerson, SqlDataSource } from '../../sources/types.ts';
import type { CompiledAction } from '../../sources/workspace/source-action.ts';
import type { MessageStore } from '../../threads/types.ts';
import type { VisibilityChecker } from '../../threads/visibility.ts';
import type { GrantChecker } from '../grant-guard.ts';
import type { ToolDefinition } from '../types.ts';
import { getDocumentTool } from './get-document-tool.ts';
import { readContextTool } from './read-context-tool.ts';
import { RECALL_TOOL, recallTool } from './recall-tool.ts';
import { REMEMBER_TOOL, rememberTool } from './remember-tool.ts';
import { searchDocumentsTool } from './search-documents-tool.ts';
import { sourceActionTool } from './source-action-tool.ts';
import { sqlTool } from './sql-tool.ts';

export { decideDocumentRead, policyPrincipalOf, readerPrincipalsOf } from './document-access.ts';
export {
  getDocumentTool,
  RECALL_TOOL,
  REMEMBER_TOOL,
  readContextTool,
  recallTool,
  rememberTool,
  searchDocumentsTool,
  sourceActionTool,
  sqlTool,
};

/**
 * The built-in tools: `read_context_item` (earlier labelled items of the thread, SPEC §13),
 * `search_documents` and `get_document` on the store's documents, given a memory store `remember`
 * and `recall` (issue 10), and, given a SQL data source, `sql` and the write tool `create_ticket`.
 */
export function builtinTools(deps: {
  /** A workspace's SQL sources, each behind its own tool name. */
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
  /** The thread memory behind `remember` and `recall`; without it they are not offered. */
  memory?: { store: MemoryStore; clock: Clock; ids: IdGenerator };
}): ToolDefinition[] {
  const documentTools = [
    readContextTool(deps) as ToolDefinition,
    searchDocumentsTool(deps) as ToolDefinition,
    getDocumentTool(deps) as ToolDefinition,
    ...(deps.memory ? memoryTools({ ...deps, memory: deps.memory }) : []),
  ];
  const workspaceSql = (deps.sqlSources ?? []).flatMap(({ source, toolName, sourceName, actions }) => [
    sqlTool({ ...deps, source, name: toolName }) as ToolDefinition,
    ...(actions ?? []).map(
      (action) => sourceActionTool({ ...deps, source, sourceName: sourceName ?? toolName, action }) as ToolDefinition,
    ),
  ]);
  return [...workspaceSql, ...documentTools];
}

function memoryTools(deps: {
  memory: { store: MemoryStore; clock: Clock; ids: IdGenerator };
  runs: RunStore;
  visibility: VisibilityChecker;
  grants: GrantChecker;
}): ToolDefinition[] {
  const { store, clock, ids } = deps.memory;
  return [
    rememberTool({ memories: store, runs: deps.runs, grants: deps.grants, clock, ids }) as ToolDefinition,
    recallTool({ memories: store, visibility: deps.visibility, grants: deps.grants }) as ToolDefinition,
  ];
}
