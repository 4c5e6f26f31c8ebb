import { describe, expect, it } from 'vitest';
import { salesRecord } from '../../test/support/audit-fixtures.ts';
import type { AuditRecord } from '../audit/types.ts';
import { IntentCollector, labelFamily } from './intents.ts';

let seq = 0;
function record(fields: Partial<AuditRecord>): AuditRecord {
  seq += 1;
  return salesRecord({ seq, id: `aud_${seq}`, at: seq, ...fields });
}

const known = () => true;

describe('IntentCollector', () => {
  it('makes one intent per tool and label family, from the call and its earlier data accesses', () => {
    const intents = new IntentCollector();
    intents.add(
      record({
        action: 'document.retrieve',
        resource: 'document:d',
        decision: 'deny',
        callId: 'c1',
        labels: ['sales-pipeline:emea'],
      }),
    );
    intents.add(record({ resource: 'tool:search_documents', callId: 'c1', labels: ['public'] }));
    intents.add(record({ callId: 'c2', labels: ['sales-pipeline:apac', 'sales-pipeline:amer'] }));
    expect(intents.intentsOf('thr_sales', known).map((intent) => intent.key)).toEqual([
      'search_documents/public',
      'search_documents/sales-pipeline',
      'sql/sales-pipeline',
    ]);
  });

  it('keeps a call that read nothing as the bare tool, and ignores approval records and unknown tools', () => {
    const intents = new IntentCollector();
    intents.add(record({ resource: 'tool:create_ticket', decision: 'deny', callId: 'c3' }));
    intents.add(record({ action: 'approval.decide', mode: 'direct', resource: 'tool:create_ticket', callId: 'c3' }));
    intents.add(record({ resource: 'tool:made_up', decision: 'deny' }));
    expect(intents.intentsOf('thr_sales', (tool) => tool !== 'made_up')).toEqual([
      { key: 'create_ticket', tool: 'create_ticket', labelFamily: null },
    ]);
  });

  it('gives a thread without tool calls the single converse intent', () => {
    const intents = new IntentCollector();
    intents.add(record({ action: 'agent.invoke', resource: 'thread:thr_quiet', threadId: 'thr_quiet' }));
    expect(intents.intentsOf('thr_quiet', known)).toEqual([{ key: 'converse', tool: null, labelFamily: null }]);
    expect(intents.intentsOf('thr_never_seen', known).map((intent) => intent.key)).toEqual(['converse']);
  });

  it('takes the family of a label before its colon', () => {
    expect(labelFamily('sales-pipeline:emea')).toBe('sales-pipeline');
    expect(labelFamily('hr-confidential')).toBe('hr-confidential');
    expect(labelFamily('acl:group:engineering')).toBeNull();
  });
});
