import { capabilitiesAnswer } from './capabilities.ts';
import { compoundPlan } from './compound-request.ts';
import { contextFollowUpPlan } from './context-follow-up.ts';
import type { Conversation } from './conversation.ts';
import { matchByDescription } from './description-match.ts';
import { parseDirective } from './directives.ts';
import { memoryPlan } from './memory-requests.ts';
import { answerPlan, callPlan, type ModelPlan, plannedCalls } from './model-plan.ts';
import { mentions, salientKeywords } from './request-text.ts';
import {
  asksWhatSomeoneMakes,
  dealsQuery,
  directoryQuery,
  incidentsQuery,
  SQL_VOCABULARY,
  salaryQuery,
} from './sql-requests.ts';
import { describedTables, tableRequest, withoutTableNames } from './table-requests.ts';
import { asksForThreadSummary, threadSummary } from './thread-summary.ts';
import { TICKET_VOCABULARY, ticketInput } from './ticket-request.ts';
import type { ToolCatalogEntry } from './tool-catalog.ts';

/** Tools the vocabulary below already routes to; description matching leaves them alone. */
const DEMO_TOOLS = new Set(['sql', 'search_documents', 'get_document', 'create_ticket', 'remember', 'recall']);

// Nouns naming a document. They win over the data vocabulary: "the compensation bands" and
// "the outage postmortem" are documents, not tables.
const DOCUMENT_NOUNS = [
  'document',
  'documents',
  'doc',
  'docs',
  'handbook',
  'policy',
  'policies',
  'postmortem',
  'post-mortem',
  'board deck',
  'deck',
  'faq',
  'notes',
  'memo',
  'bands',
  'guide',
  'wiki',
  'contract',
  'contracts',
];
const SEARCH_VERBS = ['search', 'find', 'look up', 'lookup', 'look for'];

/** What routing may use besides the request: the thread so far and who asked. */
export type RoutingContext = Partial<Pick<Conversation, 'history' | 'requesterId'>>;

const GREETING =
  /^(?:hi|hello|hey|hiya|howdy|yo|greetings|good\s+(?:morning|afternoon|evening|day))\b[\s,!.]*(?:there|agent|all|everyone|team|folks)?[\s!.?]*$/i;
const THANKS = /^(?:thanks|thank\s+you|thx|cheers)(?:\s+(?:so\s+much|a\s+lot|again|agent))?[\s!.]*$/i;
const HELP =
  /^(?:help|\?|commands|what\s+can\s+you\s+do|what\s+do\s+you\s+do|how\s+do(?:es)?\s+(?:this|it|you)\s+work|what\s+can\s+i\s+ask(?:\s+you)?|who\s+are\s+you|what\s+are\s+you)(?:\s+(?:for\s+me|here|exactly|again))?[\s?!.]*$/i;

/**
 * Decides the first step for a request: a directive, else greetings and help, a thread summary,
 * remembering or recalling, a ticket, else a call for each part of a request joining separate asks,
 * else the data vocabulary in priority order (document id, document nouns, salary, deals, incidents,
 * directory, described tables, search verbs), else a tool whose description matches, else a plain
 * answer listing what the model can do. A plan for a tool not offered in this call becomes a plain
 * answer: the model only calls tools it was given.
 */
export function routeRequest(
  request: string,
  catalog: readonly ToolCatalogEntry[],
  context: RoutingContext = {},
): ModelPlan {
  const toolNames = catalog.map((tool) => tool.name);
  const plan = firstPlan(request, catalog, context);
  const missing = plannedCalls(plan).find((call) => !toolNames.includes(call.toolName));
  if (missing) {
    return answerPlan(
      capabilitiesAnswer(
        toolNames,
        `I would use the \`${missing.toolName}\` tool for that, but it is not available to me here.`,
        describedTables(catalog),
      ),
    );
  }
  return plan;
}

function firstPlan(request: string, catalog: readonly ToolCatalogEntry[], context: RoutingContext): ModelPlan {
  const toolNames = catalog.map((tool) => tool.name);
  if (!request)
    return answerPlan(
      capabilitiesAnswer(toolNames, 'Hi! Ask me something about your data or documents.', describedTables(catalog)),
    );
  if (/^\/help\s*$/i.test(request))
    return answerPlan(capabilitiesAnswer(toolNames, "I'm Behalf's offline assistant.", describedTables(catalog)));
  const directive = parseDirective(request);
  if (directive) return directive;
  if (GREETING.test(request))
    return answerPlan(capabilitiesAnswer(toolNames, 'Hello! Here is what I can help with.', describedTables(catalog)));
  if (THANKS.test(request)) return answerPlan("You're welcome. Mention `@agent` whenever you need me again.");
  if (HELP.test(request))
    return answerPlan(capabilitiesAnswer(toolNames, "I'm Behalf's offline assistant.", describedTables(catalog)));
  if (asksForThreadSummary(request)) return answerPlan(threadSummary(context.history ?? []));
  // Before the data vocabulary: "remember that the salary review moved" is about memory.
  const memory = memoryPlan(request);
  if (memory) return memory;
  const followUp = contextFollowUpPlan(request, catalog, context.history ?? []);
  if (followUp) return followUp;
  if (mentions(request, TICKET_VOCABULARY)) return callPlan('create_ticket', ticketInput(request));
  return (
    compoundPlan(request, (part) => dataPlan(part, catalog, context)) ??
    dataPlan(request, catalog, context) ??
    matchByDescription(request, catalog, DEMO_TOOLS) ??
    answerPlan(capabilitiesAnswer(toolNames, undefined, describedTables(catalog)))
  );
}

/** A request for data: a document by id or by noun, the example vocabulary, a described table, a search. */
function dataPlan(
  request: string,
  catalog: readonly ToolCatalogEntry[],
  context: RoutingContext,
): ModelPlan | undefined {
  const { requesterId } = context;
  const documentId = /\bdoc-[a-z0-9][a-z0-9-]*/i.exec(request)?.[0];
  if (documentId) return callPlan('get_document', { id: documentId.toLowerCase() });
  // A document noun inside a table's name ("project notes", the table `project_notes`) names the table.
  if (mentions(withoutTableNames(request, catalog), DOCUMENT_NOUNS)) return searchPlan(request);
  // The demo vocabulary applies only where the `sql` tool's source has the table it queries (a
  // `sql` tool that lists no tables, or none offered, keeps it: the plan then says what is missing).
  const tables = new Set(describedTables(catalog).flatMap((table) => (table.tool === 'sql' ? [table.name] : [])));
  const hasTable = (table: string) => tables.size === 0 || tables.has(table);
  const sql = (table: string, terms: readonly string[], query: () => string) =>
    hasTable(table) && mentions(request, terms) ? callPlan('sql', { query: query() }) : undefined;
  return (
    sql('compensation', SQL_VOCABULARY.salary, () => salaryQuery(request, requesterId)) ??
    sql('deals', SQL_VOCABULARY.deals, () => dealsQuery(request, requesterId)) ??
    sql('incidents', SQL_VOCABULARY.incidents, () => incidentsQuery(request)) ??
    (hasTable('compensation') && asksWhatSomeoneMakes(request)
      ? callPlan('sql', { query: salaryQuery(request, requesterId) })
      : undefined) ??
    sql('employees', SQL_VOCABULARY.directory, () => directoryQuery(request)) ??
    tableRequest(request, catalog) ??
    (mentions(request, SEARCH_VERBS) ? searchPlan(request) : undefined)
  );
}

function searchPlan(request: string): ModelPlan {
  const keywords = salientKeywords(request);
  return callPlan('search_documents', { query: keywords.length > 0 ? keywords.join(' ') : request });
}
