import type { AuditEntry, AuditRecord } from '../../src/audit/types.ts';

/** `requester`'s `sql` tool call on thread `thr_1` (run `run_<requester>`), as an entry to append. */
export function sqlCallEntry(requester: string, decision: AuditEntry['decision'] = 'allow'): AuditEntry {
  return {
    requester,
    agent: 'behalf-agent',
    mode: 'user',
    threadId: 'thr_1',
    runId: `run_${requester}`,
    action: 'tool.call',
    resource: 'tool:sql',
    decision,
    policies: ['p'],
  };
}

/**
 * A stored record (seq 1, unchained) of gus's `sql` tool call on the sales thread (run `run_1`),
 * allowed; `fields` replace any of it.
 */
export function salesRecord(fields: Partial<AuditRecord> = {}): AuditRecord {
  return {
    seq: 1,
    id: 'aud_1',
    at: 1,
    prevHash: '',
    hash: '',
    requester: 'gus',
    agent: 'behalf-agent',
    mode: 'user',
    threadId: 'thr_sales',
    runId: 'run_1',
    action: 'tool.call',
    resource: 'tool:sql',
    decision: 'allow',
    policies: [],
    ...fields,
  };
}
