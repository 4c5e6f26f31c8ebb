import { afterEach, beforeEach } from 'vitest';
import type { NewRun } from '../../../../src/agent/types.ts';
import type { AuditRecord, ChainHead, TimedAuditEntry } from '../../../../src/audit/types.ts';
import type { UserInput } from '../../../../src/identity/types.ts';
import { canonicalJson, sha256Hex } from '../../../../src/shared/hash.ts';
import type { Store } from '../../../../src/storage/types.ts';
import type { NewMessage, Thread } from '../../../../src/threads/types.ts';

/** Opens a fresh, empty store of one adapter, and disposes of it. */
export type OpenStore = () => Promise<{ store: Store; cleanup: () => Promise<void> }>;

/**
 * Registers hooks that give each test of the enclosing `describe` its own empty store (so call it
 * inside a `describe` of its own); call the returned function inside a test to get the store.
 */
export function freshStoreFor(open: OpenStore): () => Store {
  let current: Awaited<ReturnType<OpenStore>> | undefined;
  beforeEach(async () => {
    current = await open();
  });
  afterEach(async () => {
    await current?.cleanup();
    current = undefined;
  });
  return () => {
    if (!current) throw new Error('the store is only open inside a test');
    return current.store;
  };
}

/** A fixed instant the fixtures build timestamps from. */
export const T0 = Date.UTC(2026, 0, 15, 9, 0, 0);

export function aUser(id: string, overrides: Partial<UserInput> = {}): UserInput {
  return { id, name: `User ${id}`, title: 'Engineer', groups: ['engineering'], managerId: null, ...overrides };
}

export function aThread(id: string, overrides: Partial<Omit<Thread, 'version'>> = {}): Omit<Thread, 'version'> {
  return { id, title: `Thread ${id}`, ownerId: 'alice', mode: 'user', agentId: null, createdAt: T0, ...overrides };
}

export function aMessage(id: string, threadId: string, overrides: Partial<NewMessage> = {}): NewMessage {
  return {
    id,
    threadId,
    kind: 'human',
    authorId: 'alice',
    text: `text of ${id}`,
    audience: { kind: 'thread' },
    labels: ['public'],
    runId: null,
    requesterId: null,
    privateReason: null,
    sharedBy: null,
    sharedWith: [],
    createdAt: T0,
    ...overrides,
  };
}

export function aRun(id: string, threadId: string, overrides: Partial<NewRun> = {}): NewRun {
  return {
    id,
    threadId,
    requesterId: 'alice',
    triggerMessageId: `msg-${id}`,
    mode: 'user',
    status: 'queued',
    createdAt: T0,
    ...overrides,
  };
}

export function anAuditEntry(id: string, overrides: Partial<TimedAuditEntry> = {}): TimedAuditEntry {
  return {
    id,
    at: T0,
    requester: 'alice',
    agent: 'behalf-agent',
    mode: 'user',
    threadId: 'thr-1',
    runId: 'run-1',
    action: 'tool.call',
    resource: 'tool:sql',
    decision: 'allow',
    policies: ['policy0'],
    ...overrides,
  };
}

/** The hash a record carries under `sha256Chain` (its own `hash`, if present, is not hashed). */
export function recordHash(record: Omit<AuditRecord, 'hash'> & { hash?: string }): string {
  const { prevHash, hash: _ownHash, ...fields } = record;
  return sha256Hex(`${prevHash}\n${canonicalJson(fields)}`);
}

/** A minimal chain callback: each record hashes the previous hash and its own fields. */
export function sha256Chain(head: ChainHead, entries: ReadonlyArray<TimedAuditEntry>): AuditRecord[] {
  let previous = head;
  return entries.map((entry) => {
    const unhashed = { ...entry, seq: previous.seq + 1, prevHash: previous.hash };
    const record: AuditRecord = { ...unhashed, hash: recordHash(unhashed) };
    previous = record;
    return record;
  });
}
