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

/** The demo's tools: `sql`, `search_documents`, `get_document` and the write tool `create_ticket`. */
export function builtinTools(deps: {
  source: SqlDataSource;
  documents: DocumentStore;
  policy: PolicyEngine;
  grants: GrantChecker;
}): ToolDefinition[] {
  return [
    sqlTool(deps) as ToolDefinition,
    searchDocumentsTool(deps) as ToolDefinition,
    getDocumentTool(deps) as ToolDefinition,
    createTicketTool(deps),
  ];
}
