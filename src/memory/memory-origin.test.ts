import { describe, expect, it } from 'vitest';
import type { Run } from '../agent/types.ts';
import { memoryProvenance } from './memory-origin.ts';

const aRun = (overrides: Partial<Run>): Run => ({
  id: 'run-1',
  threadId: 't1',
  requesterId: 'alice',
  triggerMessageId: 'msg-1',
  mode: 'user',
  status: 'running',
  answerMessageId: null,
  error: null,
  steps: [],
  labels: [],
  state: null,
  createdAt: 0,
  updatedAt: 0,
  leaseOwner: null,
  leaseExpiresAt: null,
  ...overrides,
});

const toolStep = (callId: string, tool: string, labels?: string[]) => ({
  kind: 'tool-call' as const,
  at: 5,
  callId,
  tool,
  argsHash: 'h',
  decision: 'allow' as const,
  policies: [],
  ...(labels ? { labels } : {}),
});

describe('memoryProvenance', () => {
  it('labels a memory with every label the run accumulated, naming the calls and the context they came from', () => {
    const run = aRun({
      labels: ['public', 'hr-confidential', 'engineering-internal'],
      steps: [
        toolStep('run-1:a', 'sql', ['hr-confidential']),
        toolStep('run-1:b', 'search_documents'),
        { kind: 'model-step', at: 6, index: 0, finishReason: 'tool-calls' },
        toolStep('run-1:c', 'get_document', ['engineering-internal', 'public']),
      ],
    });
    expect(memoryProvenance(run, 'run-1:d')).toEqual({
      labels: ['public', 'hr-confidential', 'engineering-internal'],
      origin: {
        runId: 'run-1',
        callId: 'run-1:d',
        messageId: 'msg-1',
        sources: [
          { kind: 'tool-call', callId: 'run-1:a', tool: 'sql', at: 5, labels: ['hr-confidential'] },
          {
            kind: 'tool-call',
            callId: 'run-1:c',
            tool: 'get_document',
            at: 5,
            labels: ['engineering-internal', 'public'],
          },
        ],
      },
    });
  });

  it('names the context as the source of labels no call explains', () => {
    const { origin } = memoryProvenance(aRun({ labels: ['public'] }), 'run-1:a');
    expect(origin.sources).toEqual([{ kind: 'context', labels: ['public'] }]);
  });

  it('fails closed: a run with no known labels makes an unclassified memory nobody is cleared for', () => {
    expect(memoryProvenance(aRun({ labels: [] }), 'run-1:a').labels).toEqual(['unclassified']);
  });
});
