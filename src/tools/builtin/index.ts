import type { DocumentStore } from '../../documents/types.ts';
import type { PolicyEngine } from '../../policy/types.ts';
import type { SqlDataSource } from '../../sources/types.ts';
import type { GrantChecker } from '../grant-guard.ts';
import type { ToolDefinition } from '../types.ts';
import { createTicketTool } from './create-ticket-tool.ts';
import { getDocumentTool } from './get-document-tool.ts';
import { searchDocumentsTool } from './search-documents-tool.ts';
import { sqlTool } from './sql-tool.ts';

export { decideDocumentRead, policyPrincipalOf, readerPrincipalsOf } from './document-access.ts';
export { createTicketTool, getDocumentTool, searchDocumentsTool, sqlTool };

/**
 * The demo's tools: `search_documents` and `get_document` on the store's documents and, given a
 * SQL data source, `sql` and the write tool `create_ticket`.
 */
export function builtinTools(deps: {
  source?: SqlDataSource | undefined;
  documents: DocumentStore;
  policy: PolicyEngine;
  grants: GrantChecker;
}): ToolDefinition[] {
  const documentTools = [searchDocumentsTool(deps) as ToolDefinition, getDocumentTool(deps) as ToolDefinition];
  if (!deps.source) return documentTools;
  const { source } = deps;
  return [sqlTool({ ...deps, source }) as ToolDefinition, ...documentTools, createTicketTool({ ...deps, source })];
}
