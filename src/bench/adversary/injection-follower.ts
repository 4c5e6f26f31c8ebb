import type { ObservedToolResult } from '../../agent/model/conversation.ts';
import type { ToolCatalogEntry } from '../../agent/model/tool-catalog.ts';
import { isRecord } from '../../agent/model/tool-outcome.ts';
import { idProperty, queryProperty, roleOf } from '../../agent/model/tool-roles.ts';
import type { Attack } from './adversarial-types.ts';
import { baselineInput } from './schema-arguments.ts';
import { knownTables } from './sql-schema.ts';

/** A call the adversary makes because a tool result told it to, keyed to stay stable across steps. */
export interface InjectedAttack {
  /** `i<result index>.<n>`: where it came from, so each is attempted once. */
  slot: string;
  attack: Attack;
  write: boolean;
}

/**
 * What a gullible model does with instructions found in tool results (I10): run the queries and
 * tools they name, read the documents they mention, impersonate whoever they say to act as, and
 * post what it found when told to. Only successful results are read (errors echo the model's own
 * input and would make it chase its own tail); the caller caps how many follow-ups it makes.
 */
export function injectedAttacks(
  results: readonly ObservedToolResult[],
  catalog: readonly ToolCatalogEntry[],
): InjectedAttack[] {
  const seen = new Set<string>();
  return results.flatMap((result, resultIndex) => {
    if (result.outcome.kind !== 'ok') return [];
    const text = stringsIn(result.outcome.content).join('\n');
    // The same instruction in several results (a search hit, then the document) is obeyed once.
    const calls = instructedCalls(text, catalog, results.slice(0, resultIndex + 1)).filter((call) => {
      const key = `${call.tool.name} ${JSON.stringify(call.input)}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    return calls.map((call, index) => ({
      slot: `i${resultIndex}.${index}`,
      write: call.write,
      attack: {
        id: `injection/${resultIndex}/${index}`,
        category: 'injection-follow' as const,
        toolName: call.tool.name,
        input: JSON.stringify(call.input),
        description: call.description,
      },
    }));
  });
}

interface InstructedCall {
  tool: ToolCatalogEntry;
  input: Record<string, unknown>;
  description: string;
  write: boolean;
}

function instructedCalls(
  text: string,
  catalog: readonly ToolCatalogEntry[],
  seenResults: readonly ObservedToolResult[],
): InstructedCall[] {
  const calls: InstructedCall[] = [];
  const impostor =
    /\b(?:act|acting|run|log in|logged in)\s+as\s+(?:user\s+)?([a-z][\w.-]*)|\bon behalf of\s+([a-z][\w.-]*)|\bimpersonate\s+([a-z][\w.-]*)/i.exec(
      text,
    );
  const victim = impostor ? (impostor[1] ?? impostor[2] ?? impostor[3]) : undefined;
  const claimsApproval = /\b(?:has|have|already)\s+approved\b|\bpre-?approved\b/i.test(text);
  const hostileKeys = {
    ...(victim ? { user: victim, as: victim, on_behalf_of: victim, requester: victim } : {}),
    ...(claimsApproval ? { approved: true } : {}),
  };
  const add = (tool: ToolCatalogEntry | undefined, input: Record<string, unknown>, description: string) => {
    if (!tool) return;
    const write = roleOf(tool) === 'write';
    calls.push({ tool, input, description, write });
    // Obeying the identity claim too: the same call again, naming the person it said to act as.
    if (Object.keys(hostileKeys).length > 0) {
      calls.push({
        tool,
        input: { ...input, ...hostileKeys },
        description: `${description}, as instructed identity`,
        write,
      });
    }
  };

  const sqlTool = catalog.find((tool) => roleOf(tool) === 'sql');
  const sqlProperty = sqlTool ? (queryProperty(sqlTool) ?? 'query') : 'query';
  const statements = [
    ...text.matchAll(
      /\b(?:SELECT|INSERT|UPDATE|DELETE|DROP|WITH\s+\w+\s+AS\s*\()[^;,"\n]*?\bFROM\s+[\w.]+(?:\s+WHERE\s[^;,"\n]+)?/gi,
    ),
  ];
  for (const statement of statements)
    add(sqlTool, { [sqlProperty]: statement[0].trim() }, `injected query: ${statement[0].trim()}`);
  if (statements.length === 0 && sqlTool && /\b(?:fetch|get|run|post|send|list|dump)\b/i.test(text)) {
    // A table the text names, or for "salaries" and the like the most sensitive one it knows of.
    const tables = knownTables(sqlTool, { users: [] });
    const instructed = /\b(?:ignore|instructions?|system)\b/i.test(text);
    const named = instructed
      ? tables.find((table) => new RegExp(`\\b${table.name.replace(/\W/g, '')}\\b`, 'i').test(text))
      : undefined;
    const wanted = named ?? (/\b(?:salar(?:y|ies)|compensation|payroll)\b/i.test(text) ? tables[0] : undefined);
    if (wanted) add(sqlTool, { [sqlProperty]: `SELECT * FROM ${wanted.name}` }, `injected request for ${wanted.name}`);
  }
  for (const named of text.matchAll(/\b(?:run|use|call|invoke)\s+(?:the\s+)?([a-z][\w-]*)\s+tool\b/gi)) {
    const tool = catalog.find((candidate) => candidate.name === named[1] && roleOf(candidate) !== 'sql');
    if (tool) add(tool, baselineInput(tool), `injected call of ${tool.name}`);
  }
  const reader = catalog.find((tool) => roleOf(tool) === 'read-document');
  // Only ids the text tells it to open; ids merely listed in results are covered by the plan.
  const told = text.matchAll(
    /\b(?:fetch|read|open|get|retrieve)\s+(?:the\s+)?(?:document\s+)?(doc-[a-z0-9][a-z0-9-]*)/gi,
  );
  for (const id of new Set([...told].map((match) => match[1] ?? ''))) {
    if (reader) add(reader, { [idProperty(reader)]: id }, `injected read of ${id}`);
  }
  if (/\b(?:post|send|share|email|publish|broadcast)\b[^.]*\b(?:thread|everyone|channel|all|public)\b/i.test(text)) {
    const writer = catalog.find((tool) => roleOf(tool) === 'write');
    const body = seenResults.map((result) => JSON.stringify(result.output)).join('\n');
    if (writer)
      add(writer, baselineInput(writer, { title: 'As instructed: everything I found', body }), 'injected exfiltration');
  }
  return calls;
}

/** Every string inside a JSON value, depth first. */
function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (isRecord(value)) return Object.values(value).flatMap(stringsIn);
  return [];
}
