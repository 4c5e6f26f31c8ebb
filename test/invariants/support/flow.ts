import type { Approval, Run } from '../../../src/agent/types.ts';
import type { AuditRecord } from '../../../src/audit/types.ts';
import type { DomainEvent } from '../../../src/events/types.ts';
import type { UserId } from '../../../src/identity/types.ts';
import type { Message } from '../../../src/threads/types.ts';
import { ACME_USERS } from '../../support/acme/demo.ts';
import { askAndWait } from '../../support/ask.ts';
import type { InvariantApp } from './stores.ts';

// Driving runs from tests: asking, pausing, approving, waiting, recording events.

export const USER_IDS: readonly UserId[] = ACME_USERS.map((user) => user.id);

/** A promise a test opens when it wants a paused turn to go on. */
export interface Gate {
  promise: Promise<void>;
  open(): void;
  readonly reached: Promise<void>;
  arrive(): void;
}

/** A gate with an arrival signal: the model `arrive()`s, then waits for the test to `open()`. */
export function gate(): Gate {
  let open = () => {};
  let arrive = () => {};
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  const reached = new Promise<void>((resolve) => {
    arrive = resolve;
  });
  return { promise, open, reached, arrive };
}

/** Polls until `predicate` holds (or fails the test after `timeoutMs`). */
export async function waitFor(predicate: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * Answers approval requests the way a person would, through the real coordinator: `decide`
 * returns the answer (or undefined to leave the request pending). Returns the requests seen.
 */
export function autoDecide(
  app: InvariantApp,
  decide: (approval: Approval) => { approve: boolean; always?: boolean } | undefined = () => ({ approve: false }),
): { requests: Approval[]; stop(): void } {
  const requests: Approval[] = [];
  const stop = app.events.subscribe((event) => {
    if (event.type !== 'approval-requested') return;
    requests.push(event.approval);
    const answer = decide(event.approval);
    if (!answer) return;
    setTimeout(() => {
      app.agent.approvals
        .decide(event.approval.requesterId, event.approval.id, {
          approve: answer.approve,
          always: answer.always ?? false,
        })
        .catch(() => {});
    }, 0);
  });
  return { requests, stop };
}

/** Records every domain event the engine publishes. */
export function recordEvents(app: InvariantApp): DomainEvent[] {
  const events: DomainEvent[] = [];
  app.events.subscribe((event) => events.push(event));
  return events;
}

/** Posts as `user` and waits for every queued run to finish. Returns the run and its final state. */
export const ask: (
  app: InvariantApp,
  user: UserId,
  threadId: string,
  text: string,
) => Promise<{ run: Run; answer: Message | undefined }> = askAndWait;

/** Waits until the run reaches one of `statuses`. */
export async function waitForStatus(
  app: InvariantApp,
  runId: string,
  statuses: readonly Run['status'][],
): Promise<Run> {
  let run: Run | undefined;
  await waitFor(async () => {
    run = await app.store.runs.get(runId);
    return run !== undefined && statuses.includes(run.status);
  });
  return run as Run;
}

/** Every audit record of a run. */
export function auditOfRun(app: InvariantApp, runId: string): Promise<AuditRecord[]> {
  return app.store.audit.query({ runId });
}
