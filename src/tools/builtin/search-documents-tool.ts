import { z } from 'zod';
import type { DocumentStore } from '../../documents/types.ts';
import type { PolicyEngine } from '../../policy/types.ts';
import { type GrantChecker, requireGrant } from '../grant-guard.ts';
import type { ToolDataAccess, ToolDefinition } from '../types.ts';
import { decideDocumentRead, documentLabels, readerPrincipalsOf } from './document-access.ts';

const input = z.strictObject({
  query: z.string().min(1).max(500).describe('Words to look for in document titles and bodies'),
});

/**
 * `search_documents`: full-text search restricted inside the query to documents whose ACL admits
 * the principal (the pre-filter), then every hit re-checked against policy (ACL and label
 * clearance) before it is returned. Each returned or withheld hit is an audited retrieval.
 */
export function searchDocumentsTool(deps: {
  documents: DocumentStore;
  policy: PolicyEngine;
  grants: GrantChecker;
}): ToolDefinition<z.infer<typeof input>> {
  const audience = 'behalf:tool:search_documents';
  return {
    name: 'search_documents',
    description:
      'Search the company documents you are allowed to read (handbook, policies, notes, postmortems). Returns titles and snippets.',
    inputSchema: input,
    effect: 'read',
    audience,
    scope: 'documents:search',
    async execute({ query }, context) {
      const { principal } = requireGrant(deps.grants, context, audience);
      const hits = await deps.documents.search(query, {
        readerPrincipals: readerPrincipalsOf(principal),
        limit: 8,
      });
      const accesses: ToolDataAccess[] = [];
      const allowed = [];
      for (const hit of hits) {
        const decision = await decideDocumentRead(deps.policy, principal, context.threadId, hit);
        accesses.push({
          action: 'document.retrieve',
          resource: `document:${hit.id}`,
          decision: decision.allowed ? 'allow' : 'deny',
          policies: decision.policies,
          labels: [hit.label],
          ...(decision.reason ? { reason: decision.reason } : {}),
        });
        if (decision.allowed) {
          const document = await deps.documents.get(hit.id);
          allowed.push({
            id: hit.id,
            title: hit.title,
            label: hit.label,
            snippet: hit.snippet,
            readers: document?.readers ?? [],
          });
        }
      }
      return {
        content: { hits: allowed.map(({ readers: _readers, ...hit }) => hit) },
        // No hits is still a result about what the principal can see: public.
        labels:
          allowed.length > 0
            ? [...new Set(allowed.flatMap((hit) => documentLabels(hit.label, hit.readers)))]
            : ['public'],
        accesses,
      };
    },
  };
}
