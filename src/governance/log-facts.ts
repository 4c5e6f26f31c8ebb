import type { AuditRecord } from '../audit/types.ts';
import type { ReplayFacts } from './access-checks.ts';
import { countNaming, emptyNamingCounts, ModeTally } from './audit-naming.ts';
import { IntentCollector } from './intents.ts';
import type { AuditNamingCounts } from './types.ts';

/**
 * What the first pass over the audit log learns: the intents of every thread, the label reach
 * of every resource, which calls reported their own data accesses, and how many records can
 * name a human (overall and per thread). The replay (second pass) needs all of it before it
 * decides anything, since a resource's reach comes from records anywhere in the log.
 */
export class LogFacts implements Omit<ReplayFacts, 'isRegisteredTool'> {
  readonly intents = new IntentCollector();
  readonly naming: AuditNamingCounts = emptyNamingCounts();
  readonly namingByThread = new Map<string, AuditNamingCounts>();
  readonly modes = new ModeTally();
  /** Tools some call ran with (the fallback notion of "a tool that exists" without a registry). */
  readonly toolsAllowed = new Set<string>();
  scanned = 0;
  private readonly reach = new Map<string, Set<string>>();
  private readonly callsWithAccesses = new Set<string>();

  add(record: AuditRecord): void {
    this.scanned += 1;
    this.intents.add(record);
    this.modes.add(record);
    countNaming(this.naming, record);
    if (record.threadId !== null) {
      const counts = this.namingByThread.get(record.threadId) ?? emptyNamingCounts();
      countNaming(counts, record);
      this.namingByThread.set(record.threadId, counts);
    }
    if (record.action === 'tool.call') {
      if (record.decision === 'allow') this.toolsAllowed.add(record.resource.replace(/^tool:/, ''));
    } else if (record.callId !== undefined && record.labels !== undefined) {
      // A tool's data accesses always carry labels (maybe none); an approval record carries none.
      this.callsWithAccesses.add(record.callId);
    }
    if (record.decision === 'allow' && record.labels !== undefined && record.labels.length > 0) {
      const key = reachKey(record.action, record.resource);
      const labels = this.reach.get(key) ?? new Set<string>();
      for (const label of record.labels) labels.add(label);
      this.reach.set(key, labels);
    }
  }

  /** Thread ids the log names. */
  threadIds(): Iterable<string> {
    return this.namingByThread.keys();
  }

  reachOf(action: string, resource: string): readonly string[] {
    return [...(this.reach.get(reachKey(action, resource)) ?? [])];
  }

  callHasAccesses(callId: string): boolean {
    return this.callsWithAccesses.has(callId);
  }
}

function reachKey(action: string, resource: string): string {
  return `${action}\n${resource}`;
}
