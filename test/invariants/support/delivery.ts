import type { DomainEvent } from '../../../src/events/types.ts';
import type { UserId } from '../../../src/identity/types.ts';
import type { Message } from '../../../src/threads/types.ts';
import type { HiddenMessage } from '../../../src/threads/visibility.ts';
import { type ClearanceRule, clearedByAcmeRules, leakedLabels } from './oracle.ts';
import type { InvariantApp } from './stores.ts';

// What readers can get from a thread, checked as the realtime hub and the read API deliver it.

/**
 * What a reader's live connection would receive for one event, filtered the way the hub must
 * (wire.ts): members only, checked at delivery; messages through read-time visibility (a
 * placeholder when hidden); answer deltas and approval requests to their requester only.
 */
export async function deliverTo(app: InvariantApp, reader: UserId, event: DomainEvent): Promise<unknown> {
  if (!(await app.store.threads.isMember(event.threadId, reader))) return null;
  return shapeForMember(app, reader, event);
}

/** `deliverTo` once membership is known: what a member's connection would receive. */
async function shapeForMember(app: InvariantApp, reader: UserId, event: DomainEvent): Promise<unknown> {
  switch (event.type) {
    case 'answer-delta':
      return event.requesterId === reader ? event : null;
    case 'approval-requested':
      return event.approval.requesterId === reader ? event : null;
    case 'message-created':
    case 'message-updated':
      return { ...event, message: await app.visibility.view(reader, event.message) };
    default:
      return event;
  }
}

/**
 * Checks what every given reader can get from a thread, through the read API and through the
 * event stream filtered as the hub would: nothing they are not cleared for (labels and content),
 * except their own answers. Returns the problems found.
 */
export async function deliveryViolations(
  app: InvariantApp,
  threadId: string,
  readers: readonly UserId[],
  events: readonly DomainEvent[],
  cleared: ClearanceRule = clearedByAcmeRules,
): Promise<string[]> {
  const problems: string[] = [];
  for (const reader of readers) {
    const user = await app.store.users.get(reader);
    const groups = user?.groups ?? [];
    const member = await app.store.threads.isMember(threadId, reader);
    const delivered: Array<Message | HiddenMessage> = [];
    if (member) delivered.push(...(await app.threads.listMessages(reader, threadId)));
    else {
      const refused = await app.threads.listMessages(reader, threadId).then(
        () => false,
        () => true,
      );
      if (!refused) problems.push(`${reader} (not a member) could list the thread`);
    }
    // Membership is settled by now: a non-member's connection gets nothing (deliverTo's first
    // check), so it is read once per reader rather than once per event.
    for (const event of member ? events : []) {
      if (event.threadId !== threadId) continue;
      const shaped = (await shapeForMember(app, reader, event)) as DomainEvent | null;
      if (!shaped) continue;
      if (shaped.type === 'message-created' || shaped.type === 'message-updated')
        delivered.push(shaped.message as Message | HiddenMessage);
      if (shaped.type === 'answer-delta' && shaped.requesterId !== reader) problems.push(`${reader} got a delta`);
    }
    for (const item of delivered) {
      if ('hidden' in item) {
        if ('text' in item) problems.push(`${reader} got the text of hidden ${item.id}`);
        continue;
      }
      if (item.kind === 'agent' && item.requesterId === reader) continue;
      const uncleared = item.labels.filter((label) => !cleared(groups, label));
      if (uncleared.length > 0) problems.push(`${reader} received ${item.id} labelled ${uncleared.join(', ')}`);
      const leaked = leakedLabels(item.text, groups, cleared);
      if (leaked.length > 0) problems.push(`${reader} received ${leaked.join(', ')} data in ${item.id}`);
    }
  }
  return problems;
}

/**
 * Agent answers whose disclosure decision let in a member not cleared for them: an answer
 * addressed to the whole thread must be readable, label by label, by every current member
 * other than its requester.
 * (Read-time visibility would still hide it; this checks the decision itself, I5.)
 */
export async function disclosureViolations(
  app: InvariantApp,
  threadId: string,
  cleared: ClearanceRule = clearedByAcmeRules,
): Promise<string[]> {
  const members = await app.store.threads.members(threadId);
  const groups = new Map(
    await Promise.all(members.map(async (id) => [id, (await app.store.users.get(id))?.groups ?? []] as const)),
  );
  const problems: string[] = [];
  for (const message of await app.store.messages.list(threadId)) {
    if (message.kind !== 'agent' || message.audience.kind !== 'thread' || message.sharedBy) continue;
    for (const member of members) {
      if (member === message.requesterId) continue; // a requester always sees their own answer
      const missing = message.labels.filter((label) => !cleared(groups.get(member) ?? [], label));
      if (missing.length > 0)
        problems.push(`${message.id} went to the thread though ${member} lacks ${missing.join(', ')}`);
    }
  }
  return problems;
}
