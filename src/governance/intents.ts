import type { AuditRecord } from '../audit/types.ts';
import { ACL_LABEL_PREFIX } from '../policy/label-entity.ts';
import type { GovernanceIntent } from './types.ts';

/** The intent of a thread whose agent used no tool: answering from the thread alone. */
export const CONVERSE_INTENT: GovernanceIntent = { key: 'converse', tool: null, labelFamily: null };

/**
 * `sales-pipeline:emea` → `sales-pipeline`; `hr-confidential` → itself; a document's access-list
 * label (`acl:…`) → null: it travels with a document's classification, which is the family.
 */
export function labelFamily(label: string): string | null {
  if (label.startsWith(ACL_LABEL_PREFIX)) return null;
  const separator = label.indexOf(':');
  return separator > 0 ? label.slice(0, separator) : label;
}

function familiesOf(labels: readonly string[]): string[] {
  return labels.map(labelFamily).filter((family): family is string => family !== null);
}

/** The intent for one tool and label family (null: the call read no labelled data). */
export function intentOf(tool: string, family: string | null): GovernanceIntent {
  return { key: family === null ? tool : `${tool}/${family}`, tool, labelFamily: family };
}

/** Sorted by key, one per key. */
export function distinctIntents(intents: Iterable<GovernanceIntent>): GovernanceIntent[] {
  const byKey = new Map<string, GovernanceIntent>();
  for (const intent of intents) byKey.set(intent.key, intent);
  return [...byKey.values()].sort((a, b) => a.key.localeCompare(b.key));
}

/**
 * Collects, per thread, the tools the agent called and the label families each call touched.
 * A call's data accesses (`data.query`, `document.retrieve`) precede its `tool.call` record and
 * share its `callId`, so their labels wait until the call's record names the tool. Calls of
 * any decision and mode count: a denied attempt shows the access someone needed.
 */
export class IntentCollector {
  /** threadId → tool → label families (empty: the call read nothing). */
  private readonly calls = new Map<string, Map<string, Set<string>>>();
  /** callId → label families of its data accesses, until its tool.call arrives. */
  private readonly pending = new Map<string, Set<string>>();

  add(record: AuditRecord): void {
    if (record.threadId === null || record.agent === null) return;
    if (record.action === 'tool.call' && record.resource.startsWith('tool:')) {
      const families = new Set(familiesOf(record.labels ?? []));
      if (record.callId !== undefined) {
        for (const family of this.pending.get(record.callId) ?? []) families.add(family);
        this.pending.delete(record.callId);
      }
      const tools = this.calls.get(record.threadId) ?? new Map<string, Set<string>>();
      const seen = tools.get(record.resource.slice(5)) ?? new Set<string>();
      for (const family of families) seen.add(family);
      tools.set(record.resource.slice(5), seen);
      this.calls.set(record.threadId, tools);
    } else if (record.callId !== undefined && record.labels !== undefined) {
      const families = this.pending.get(record.callId) ?? new Set<string>();
      for (const family of familiesOf(record.labels)) families.add(family);
      this.pending.set(record.callId, families);
    }
  }

  /**
   * The thread's intents, counting only tools `isKnownTool` accepts (a call to a tool that does
   * not exist is no access to provision for); `converse` when none is left.
   */
  intentsOf(threadId: string, isKnownTool: (tool: string) => boolean): GovernanceIntent[] {
    const intents: GovernanceIntent[] = [];
    for (const [tool, families] of this.calls.get(threadId) ?? []) {
      if (!isKnownTool(tool)) continue;
      if (families.size === 0) intents.push(intentOf(tool, null));
      for (const family of families) intents.push(intentOf(tool, family));
    }
    return intents.length > 0 ? distinctIntents(intents) : [CONVERSE_INTENT];
  }
}
