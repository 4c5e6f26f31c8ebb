import type { ConversationScript } from './conversation-script.ts';
import type { PlayedAnswer, PlayedConversation } from './play-conversation.ts';
import { rowLabels, type TableFacts, type WorkspaceFacts } from './workspace-facts.ts';

/**
 * A piece of data an answer drew on: its labels, the person it was read for through the source's
 * own row security (who may always see it), and the answers it travelled through (whose shares
 * release it).
 */
export interface Atom {
  labels: readonly string[];
  fetchedFor?: string;
  via: readonly string[];
}

/** The inputs of one answer as the oracle computes them. */
export interface AnswerInputs {
  /** Everything the run took in: its tool results and the context the design put in as content. */
  used: Atom[];
  /**
   * What the request needed: fresh reads and the earlier answers the script says it builds on,
   * whatever the design put in context (utility's denominator counts answers whose needed inputs
   * every member could see).
   */
  needed: Atom[];
}

/** A memory as the oracle tracks it: stored by a `remember` call, with the atoms its run had read. */
interface OracleMemory {
  text: string;
  atoms: Atom[];
}

/**
 * The inputs of every answer of a played conversation, by answer id, computed from what the model
 * emitted and what the engine returned to it, never from the engine's labels when the oracle can
 * do better: tables named in SQL (labels from the workspace's declarations and the rows the
 * requester reads), documents by id, earlier answers read back, memories (`remember` stores the
 * atoms its run had read before it; `recall` brings back those of each memory it returned, an
 * unknown one as `unclassified`), and the context each design puts in as content (lazy context:
 * public items only; eager: every item the requester could see).
 */
export async function conversationInputs(
  played: PlayedConversation,
  facts: WorkspaceFacts,
  lazy: boolean,
): Promise<Map<string, AnswerInputs>> {
  const used = new Map<string, Atom[]>();
  const inputs = new Map<string, AnswerInputs>();
  const memories = new Map<string, OracleMemory>();
  const byStep = new Map(played.answers.map((answer) => [answer.step, answer]));
  for (const answer of played.answers) {
    const context = answer.visibleBefore
      .filter((item) => !lazy || item.publicOnly)
      .flatMap((item) => through(item.id, used.get(item.id) ?? []));
    const tools = await toolAtoms(answer, facts, used, memories, context);
    used.set(answer.message.id, [...tools.all, ...context]);
    const dependsOn = stepNeeds(played.script, answer.step)
      .map((step) => byStep.get(step))
      .filter((earlier): earlier is PlayedAnswer => !!earlier)
      .filter((earlier) => answer.visibleBefore.some((item) => item.id === earlier.message.id))
      .flatMap((earlier) => through(earlier.message.id, used.get(earlier.message.id) ?? []));
    inputs.set(answer.message.id, { used: [...tools.all, ...context], needed: [...tools.fresh, ...dependsOn] });
    if (answer.sharedPart) {
      // The thread's part of a split answer: only the tool results its own model step was given
      // (no thread history), whatever the engine says they were labelled.
      const given = new Set(answer.sharedPart.inputCallIds);
      const part = { ...answer, emitted: answer.emitted.filter((call) => given.has(call.toolCallId)) };
      const partTools = await toolAtoms(part, facts, used, new Map(memories), []);
      used.set(answer.sharedPart.message.id, partTools.all);
      inputs.set(answer.sharedPart.message.id, { used: partTools.all, needed: partTools.fresh });
    }
  }
  return inputs;
}

/**
 * The inputs a delivered message was built from, as they reach its reader (marked as travelling
 * through it, so a share of it releases them). Every leak check goes through this one function:
 * an answer split into a part for the thread and a part for the requester will give each part
 * its own inputs here.
 */
export function deliveredInputs(messageId: string, inputs: ReadonlyMap<string, AnswerInputs>): Atom[] {
  return through(messageId, inputs.get(messageId)?.used ?? []);
}

/** The atoms of an earlier answer, as they reach a later one through it. */
function through(id: string, atoms: readonly Atom[]): Atom[] {
  return atoms.map((atom) => ({ ...atom, via: [id, ...atom.via] }));
}

function stepNeeds(script: ConversationScript, step: number): readonly number[] {
  const entry = script.steps[step];
  return entry?.kind === 'ask' ? (entry.needs ?? []) : [];
}

/**
 * Atoms of the run's tool calls: `all` for the leak check, `fresh` (everything but reading earlier
 * context back) for what the request needed. Unknown tools fall back to the engine's own labels.
 */
async function toolAtoms(
  answer: PlayedAnswer,
  facts: WorkspaceFacts,
  used: ReadonlyMap<string, Atom[]>,
  memories: Map<string, OracleMemory>,
  context: readonly Atom[],
): Promise<{ all: Atom[]; fresh: Atom[] }> {
  const all: Atom[] = [];
  const fresh: Atom[] = [];
  const requester = answer.requester;
  const both = (atom: Atom) => {
    all.push(atom);
    fresh.push(atom);
  };
  const stepOf = (toolCallId: string) =>
    answer.run.steps.find((step) => step.kind === 'tool-call' && step.callId.endsWith(`:${toolCallId}`));
  for (const call of answer.emitted) {
    const args = parse(call.input);
    const tables = facts.tables.filter((table) => table.tool === call.toolName);
    if (tables.length > 0) {
      const statement = typeof args.query === 'string' ? args.query : call.input;
      const named = tables.filter((table) => mentionsTable(statement, table.name));
      for (const table of named) {
        // Parameterised labels come from the rows the requester's own row security lets the
        // statement read: none visible, nothing of them disclosed.
        const rows = table.rowsFor.get(requester) ?? [];
        const labels = new Set([
          ...table.labels.filter((label) => !label.includes('{')),
          ...columnLabelsRead(statement, table),
          ...rows.flatMap((row) => rowLabels({ labels: table.labels, columnLabels: [] }, row)),
        ]);
        both({ labels: [...labels], fetchedFor: requester, via: [] });
      }
      if (named.length === 0 && /\bfrom\b/i.test(statement))
        both({ labels: ['unclassified'], fetchedFor: requester, via: [] });
      continue;
    }
    const step = stepOf(call.toolCallId);
    const allowed = step?.kind === 'tool-call' && step.decision === 'allow';
    if (call.toolName === 'read_context_item') {
      if (!allowed || typeof args.id !== 'string') continue;
      all.push(
        ...(used.has(args.id) ? through(args.id, used.get(args.id) ?? []) : [{ labels: ['unclassified'], via: [] }]),
      );
      continue;
    }
    if (call.toolName === 'get_document') {
      const document = facts.documents.find((candidate) => candidate.id === args.id);
      if (document) both({ labels: [document.label], via: [] });
      continue;
    }
    if (call.toolName === 'search_documents') {
      // Every document the requester is cleared for could be among the hits.
      for (const document of facts.documents)
        if (await facts.cleared(requester, [document.label])) both({ labels: [document.label], via: [] });
      continue;
    }
    if (call.toolName === 'remember') {
      const id = field(call.output, 'remembered');
      // The memory keeps everything its run had read before it: context and earlier calls.
      if (allowed && typeof id === 'string')
        memories.set(id, { text: typeof args.text === 'string' ? args.text : '', atoms: [...context, ...all] });
      continue;
    }
    if (call.toolName === 'recall') {
      const recalled = field(call.output, 'memories');
      if (!allowed) continue;
      if (!Array.isArray(recalled)) {
        if (step?.labels) both({ labels: step.labels, fetchedFor: requester, via: [] });
        continue;
      }
      for (const memory of recalled) {
        const id = field(memory, 'id');
        const known = typeof id === 'string' ? memories.get(id) : undefined;
        for (const atom of known?.atoms ?? [{ labels: ['unclassified'], via: [] }]) both(atom);
      }
      continue;
    }
    if (step?.kind === 'tool-call' && step.labels) both({ labels: step.labels, fetchedFor: requester, via: [] });
  }
  return { all, fresh };
}

/**
 * Labels of the labelled columns a statement may read: each one it names, all of them when it
 * selects `*` (other than `count(*)`) or names the table anywhere but after FROM/JOIN/AS or as a
 * qualifier (a whole-row reference such as `SELECT students FROM students`).
 */
function columnLabelsRead(statement: string, table: TableFacts): string[] {
  const name = (table.name.split('.').pop() ?? table.name).replace(/\W/g, '');
  const rest = statement
    .replace(new RegExp(`\\b(?:from|join)\\s+(?:\\w+\\.)?${name}\\b|\\bas\\s+${name}\\b`, 'gi'), ' ')
    .replace(new RegExp(`\\b${name}\\s*\\.`, 'gi'), ' ');
  const everything =
    /\*/.test(statement.replace(/count\s*\(\s*\*\s*\)/gi, '')) || new RegExp(`\\b${name}\\b`, 'i').test(rest);
  return [...table.labelledColumns].flatMap(([column, labels]) =>
    everything || new RegExp(`\\b${column}\\b`, 'i').test(statement) ? labels : [],
  );
}

function mentionsTable(statement: string, table: string): boolean {
  const name = table.split('.').pop() ?? table;
  return new RegExp(`\\b${name.replace(/[^a-z0-9_]/gi, '')}\\b`, 'i').test(statement);
}

/**
 * A field of a tool's output, which reaches the model as a JSON value or as JSON text, the
 * tool's own content under `content` (`{ ok, content, labels }`).
 */
function field(output: unknown, key: string): unknown {
  const value = typeof output === 'string' ? parse(output) : output;
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  return key in record ? record[key] : record.content !== undefined ? field(record.content, key) : undefined;
}

function parse(input: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(input);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
