import { z } from 'zod';
import type { DocumentStore } from '../../documents/types.ts';
import type { PolicyEngine } from '../../policy/types.ts';
import { type GrantChecker, requireGrant } from '../grant-guard.ts';
import { ToolDeniedError } from '../tool-errors.ts';
import type { ToolDefinition } from '../types.ts';
import { decideDocumentRead, documentLabels } from './document-access.ts';

const input = z.strictObject({
  id: z.string().min(1).max(200).describe('The document id, e.g. doc-handbook'),
});

/** `get_document`: one whole document, if its ACL admits the principal and they are cleared for its label. */
export function getDocumentTool(deps: {
  documents: DocumentStore;
  policy: PolicyEngine;
  grants: GrantChecker;
}): ToolDefinition<z.infer<typeof input>> {
  const audience = 'behalf:tool:get_document';
  return {
    name: 'get_document',
    description: 'Read one company document by id (ids come from search_documents).',
    inputSchema: input,
    effect: 'read',
    audience,
    scope: 'documents:read',
    async execute({ id }, context) {
      const { principal } = requireGrant(deps.grants, context, audience);
      const document = await deps.documents.get(id);
      // A document the principal may not know about is indistinguishable from a missing one.
      if (!document) throw new ToolDeniedError(`No document ${id} that you may read`);
      // Even a refusal is about this document (its reason names its label): it carries its labels.
      const labels = documentLabels(document.label, document.readers);
      context.willRead(labels);
      const decision = await decideDocumentRead(deps.policy, principal, context.threadId, document);
      if (!decision.allowed)
        throw new ToolDeniedError(`No document ${id} that you may read (${decision.reason})`, decision.policies);
      return {
        content: { id: document.id, title: document.title, label: document.label, body: document.body },
        labels,
        accesses: [
          {
            action: 'document.retrieve',
            resource: `document:${document.id}`,
            decision: 'allow',
            policies: decision.policies,
            labels: [document.label],
          },
        ],
      };
    },
  };
}
