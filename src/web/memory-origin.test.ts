import { describe, expect, it } from 'vitest';
import type { MemoryWire } from '../protocol/memory-wire.ts';
import { describeMemoryOrigin } from './memory-origin.ts';

describe('describeMemoryOrigin', () => {
  it('names each source of a memory and its labels', () => {
    const memory: MemoryWire = {
      id: 'mem_1',
      threadId: 't',
      text: 'fact',
      requesterId: 'alice',
      createdAt: 3,
      labels: ['public', 'hr-confidential'],
      origin: {
        runId: 'run_1',
        callId: 'run_1:c2',
        messageId: 'msg_1',
        sources: [
          { kind: 'context', labels: ['public'] },
          { kind: 'tool-call', callId: 'run_1:c1', tool: 'sql', at: 2, labels: ['hr-confidential'] },
        ],
      },
      deletable: true,
    };
    expect(describeMemoryOrigin(memory, (at) => `t${at}`)).toEqual([
      'from the conversation (public)',
      'from the sql call at t2 (hr-confidential)',
    ]);
  });
});
