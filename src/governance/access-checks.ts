import type { AuditRecord } from '../audit/types.ts';
import type { PolicyAction, ResourceRef } from '../policy/types.ts';

/** Audit actions the replay re-decides: the agent's tool calls and the data accesses inside them. */
export const REPLAYED_ACTIONS: ReadonlySet<string> = new Set(['tool.call', 'data.query', 'document.retrieve']);

/** One Cedar request of a check (the principal is chosen by whoever decides it). */
export interface CheckRequest {
  action: PolicyAction;
  resource: ResourceRef;
}

/**
 * One thing a replayed record was about, re-decided for each principal: allowed only when all of
 * its requests allow. `got` says whether the human actually got it, as recorded.
 */
export interface AccessCheck {
  /** What differs when it differs: `tool:sql`, `document:doc-handbook`, `sales-pipeline:apac`. */
  subject: string;
  got: boolean;
  requests: CheckRequest[];
}

/** What the first pass over the log knows that a single record does not. */
export interface ReplayFacts {
  /**
   * Labels seen on allowed records of the same action and resource anywhere in the log: the
   * labels this resource's data can carry, as far as the log shows (`sql:deals` → every region
   * someone's query touched).
   */
  reachOf(action: string, resource: string): readonly string[];
  /** Whether the call with this id reported its own data-access records. */
  callHasAccesses(callId: string): boolean;
  /** Whether the tool is registered (tool-use decisions need its entity). */
  isRegisteredTool(tool: string): boolean;
}

/** Whether a record is a user-mode access made for a human: what the replay re-decides. */
export function isReplayable(record: AuditRecord): record is AuditRecord & { requester: string; threadId: string } {
  return (
    REPLAYED_ACTIONS.has(record.action) &&
    record.mode === 'user' &&
    record.requester !== null &&
    record.agent !== null &&
    record.threadId !== null
  );
}

/**
 * The checks of one record:
 * - `tool.call`: the gate's `useTool` on the tool; and, when the call ran but its tool reported
 *   no data-access records of its own, the labels of its result like a data access.
 * - `data.query` (and such tool calls): `readLabel` for every label of the resource's reach.
 *   Row-level filtering happens in the data source, not in Cedar, and arguments are only
 *   hashed, so the query cannot be re-run as someone else: label clearance is what policy knows.
 *   A label the human got is lost when the identity is not cleared for it; a label of the reach
 *   the human neither got nor is cleared for is over-privilege when the identity is cleared.
 * - `document.retrieve`: `readDocument` (the ACL) and `readLabel` for the document's label.
 */
export function checksFor(record: AuditRecord, facts: ReplayFacts): AccessCheck[] {
  const allowed = record.decision === 'allow';
  const recordLabels = record.labels ?? [];
  if (record.action === 'document.retrieve') {
    const id = record.resource.replace(/^document:/, '');
    const requests: CheckRequest[] = [
      { action: 'readDocument', resource: { type: 'Document', id } },
      ...recordLabels.map((label): CheckRequest => ({ action: 'readLabel', resource: { type: 'Label', id: label } })),
    ];
    return [{ subject: record.resource, got: allowed, requests }];
  }
  const checks: AccessCheck[] = [];
  let judgeLabels = record.action === 'data.query';
  if (record.action === 'tool.call') {
    const tool = record.resource.replace(/^tool:/, '');
    if (facts.isRegisteredTool(tool)) {
      checks.push({ subject: record.resource, got: allowed, requests: [toolUseRequest(tool)] });
    }
    // Only a call that ran produced data; one refused at the gate read nothing to re-judge.
    judgeLabels = allowed && (record.callId === undefined || !facts.callHasAccesses(record.callId));
  }
  if (judgeLabels) {
    const reach = new Set([...facts.reachOf(record.action, record.resource), ...recordLabels]);
    for (const label of [...reach].sort()) {
      checks.push({
        subject: label,
        got: allowed && recordLabels.includes(label),
        requests: [{ action: 'readLabel', resource: { type: 'Label', id: label } }],
      });
    }
  }
  return checks;
}

function toolUseRequest(tool: string): CheckRequest {
  return { action: 'useTool', resource: { type: 'Tool', id: tool } };
}
