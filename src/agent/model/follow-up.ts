import type { Conversation } from './conversation.ts';
import { callPlan, type ModelPlan } from './model-plan.ts';
import { mentions } from './request-text.ts';
import type { ToolCatalogEntry } from './tool-catalog.ts';
import { isRecord } from './tool-outcome.ts';

const READING_WORDS = [
  'summarize',
  'summarise',
  'summary',
  'read',
  'open',
  'show me',
  'what does',
  'tell me about',
  'gist',
  'tldr',
  // Questions about what a document says: the answer is in the document, not the hit list.
  'say',
  'says',
  'about',
  "what's",
  'what is',
  'what are',
  'policy on',
  'rules on',
  'how many',
  'how long',
  'how much',
  'allowed',
];

/**
 * The one follow-up call the offline model may make before answering: when asked to summarize
 * or read a document and a search found one, fetch the top hit. The decision uses the request
 * and the result's structure only — never text inside a result.
 */
export function followUpPlan(conversation: Conversation, catalog: readonly ToolCatalogEntry[]): ModelPlan | undefined {
  if (!catalog.some((tool) => tool.name === 'get_document')) return undefined;
  if (conversation.calls.some((call) => call.toolName === 'get_document')) return undefined;
  if (!mentions(conversation.request, READING_WORDS)) return undefined;
  const search = conversation.results.find((result) => result.toolName === 'search_documents');
  if (search?.outcome.kind !== 'ok' || !isRecord(search.outcome.content)) return undefined;
  const hits = search.outcome.content.hits;
  const top = Array.isArray(hits) ? hits.find(isRecord) : undefined;
  return typeof top?.id === 'string' ? callPlan('get_document', { id: top.id }) : undefined;
}
