import { describe, expect, it } from 'vitest';
import type { Approval } from '../../agent/types.ts';
import type { Message } from '../../threads/types.ts';
import type { HiddenMessage } from '../../threads/visibility.ts';
import { type DeliveryDecider, planDelivery } from './event-delivery.ts';

const thread = 'thr_1';

function message(overrides: Partial<Message> = {}): Message {
  return {
    id: 'msg_1',
    threadId: thread,
    seq: 1,
    kind: 'agent',
    authorId: null,
    text: 'salaries: alice 185000',
    audience: { kind: 'users', users: ['alice'] },
    labels: ['hr-confidential'],
    runId: 'run_1',
    requesterId: 'alice',
    privateReason: 'not everyone is cleared',
    sharedBy: null,
    sharedWith: [],
    createdAt: 1,
    ...overrides,
  };
}

/** Members alice, bob, carol, dana; alice and dana (finance) are cleared, bob and carol not. */
function decider(members = ['alice', 'bob', 'carol', 'dana']): DeliveryDecider & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    calls,
    members: async () => members,
    views: async (readers, item) => {
      calls.push([...readers]);
      return readers.map((reader): Message | HiddenMessage => {
        const inAudience = item.audience.kind === 'thread' || item.audience.users.includes(reader);
        if (inAudience && (reader === 'alice' || reader === 'dana')) return item;
        return {
          id: item.id,
          threadId: item.threadId,
          seq: item.seq,
          kind: item.kind,
          hidden: true,
          reason: inAudience ? 'Contains hr-confidential data' : 'A private answer for another member',
          authorId: item.authorId,
          requesterId: item.requesterId,
          createdAt: item.createdAt,
        };
      });
    },
  };
}

describe('planDelivery', () => {
  it('groups readers by identical view: one frame per distinct view, the text only in the visible one', async () => {
    const plan = await planDelivery(
      { type: 'message-created', threadId: thread, message: message({ audience: { kind: 'thread' } }) },
      ['alice', 'bob', 'carol', 'dana'],
      decider(),
    );
    expect(plan.deliveries.map((delivery) => delivery.readers)).toEqual([
      ['alice', 'dana'],
      ['bob', 'carol'],
    ]);
    expect(JSON.stringify(plan.deliveries[0]?.frame)).toContain('185000');
    expect(JSON.stringify(plan.deliveries[1]?.frame)).not.toContain('185000');
    expect(plan.deliveries[1]?.frame).toMatchObject({ type: 'message-created', message: { hidden: true } });
  });

  it('a private answer: placeholders for everyone else, with the reason', async () => {
    const plan = await planDelivery(
      { type: 'message-created', threadId: thread, message: message() },
      ['alice', 'bob', 'dana'],
      decider(),
    );
    expect(plan.deliveries).toHaveLength(2);
    expect(plan.deliveries[1]).toMatchObject({
      readers: ['bob', 'dana'],
      frame: { message: { hidden: true, reason: 'A private answer for another member' } },
    });
  });

  it('re-reads membership: subscribed non-members get nothing and are reported as departed', async () => {
    const check = decider(['alice', 'bob']);
    const plan = await planDelivery(
      { type: 'message-updated', threadId: thread, message: message({ audience: { kind: 'thread' } }) },
      ['alice', 'carol'],
      check,
    );
    expect(plan.departed).toEqual(['carol']);
    expect(check.calls).toEqual([['alice']]);
    expect(plan.deliveries.flatMap((delivery) => delivery.readers)).toEqual(['alice']);
  });

  it('answer deltas and approval requests go to the requester only', async () => {
    const delta = await planDelivery(
      { type: 'answer-delta', threadId: thread, runId: 'run_1', requesterId: 'alice', delta: '185' },
      ['alice', 'bob'],
      decider(),
    );
    expect(delta.deliveries).toEqual([
      { readers: ['alice'], frame: { type: 'answer-delta', threadId: thread, runId: 'run_1', delta: '185' } },
    ]);
    const approval: Approval = {
      id: 'apr_1',
      runId: 'run_1',
      threadId: thread,
      requesterId: 'bob',
      tool: 'create_ticket',
      callId: 'c1',
      args: {},
      status: 'pending',
      always: false,
      createdAt: 1,
      decidedAt: null,
    };
    const asked = await planDelivery(
      { type: 'approval-requested', threadId: thread, approval },
      ['alice', 'bob'],
      decider(),
    );
    expect(asked.deliveries.map((delivery) => delivery.readers)).toEqual([['bob']]);
    const absent = await planDelivery(
      { type: 'answer-delta', threadId: thread, runId: 'run_1', requesterId: 'erin', delta: 'x' },
      ['alice', 'bob'],
      decider(),
    );
    expect(absent.deliveries).toEqual([]);
  });

  it('run, membership and thread updates go to every member as one frame', async () => {
    const plan = await planDelivery(
      {
        type: 'run-updated',
        threadId: thread,
        runId: 'run_1',
        requesterId: 'alice',
        status: 'done',
        answerMessageId: 'msg_1',
      },
      ['alice', 'bob'],
      decider(),
    );
    expect(plan.deliveries).toEqual([
      {
        readers: ['alice', 'bob'],
        frame: {
          type: 'run-updated',
          threadId: thread,
          run: { id: 'run_1', requesterId: 'alice', status: 'done', answerMessageId: 'msg_1' },
        },
      },
    ]);
    const removed = await planDelivery(
      { type: 'member-removed', threadId: thread, userId: 'carol' },
      ['alice'],
      decider(),
    );
    expect(removed.deliveries[0]?.frame).toEqual({ type: 'member-removed', threadId: thread, userId: 'carol' });
  });

  it('tells an added person on all their sockets, only while they are still a member (issue 11.3)', async () => {
    const added = await planDelivery({ type: 'member-added', threadId: thread, userId: 'dana' }, ['alice'], decider());
    expect(added.personal).toEqual([{ readers: ['dana'], frame: { type: 'thread-added', threadId: thread } }]);
    expect(added.deliveries).toEqual([
      { readers: ['alice'], frame: { type: 'member-added', threadId: thread, userId: 'dana' } },
    ]);
    // Added and removed again before delivery: the membership read now decides, so nothing.
    const gone = await planDelivery(
      { type: 'member-added', threadId: thread, userId: 'erin' },
      ['alice'],
      decider(['alice', 'bob']),
    );
    expect(gone.personal).toEqual([]);
  });

  it('tells a removed person their list lost the thread, and nothing else; a quick re-add wins', async () => {
    const removed = await planDelivery(
      { type: 'member-removed', threadId: thread, userId: 'carol' },
      [],
      decider(['alice', 'bob']),
    );
    expect(removed.personal).toEqual([{ readers: ['carol'], frame: { type: 'thread-removed', threadId: thread } }]);
    expect(removed.deliveries).toEqual([]);
    const readded = await planDelivery(
      { type: 'member-removed', threadId: thread, userId: 'carol' },
      [],
      decider(['alice', 'carol']),
    );
    expect(readded.personal).toEqual([]);
  });

  it('other events tell no one personally', async () => {
    const plan = await planDelivery(
      { type: 'message-created', threadId: thread, message: message({ audience: { kind: 'thread' } }) },
      ['alice'],
      decider(),
    );
    expect(plan.personal).toEqual([]);
  });
});
