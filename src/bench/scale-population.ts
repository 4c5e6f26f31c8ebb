import type { SqliteStore } from '../app/bench-stores.ts';
import type { AuthorizationRequest } from '../policy/types.ts';
import { seededRandom } from './seeded-random.ts';

/** How many of each entity a deployment holds. */
export interface PopulationSize {
  users: number;
  threads: number;
  documents: number;
}

/** What was seeded: enough to draw realistic requests from it. */
export interface Population {
  users: string[];
  /** Thread id → its members. */
  threads: Map<string, string[]>;
  documents: string[];
}

/** Members per thread, the same at every size: a deployment grows by more threads, not bigger ones. */
const MEMBERS_PER_THREAD = 8;
const LABELS = ['public', 'hr-confidential', 'engineering-internal', 'sales-pipeline:emea', 'exec-confidential'];
/** Tools the gateway asks `useTool` about (registered by `buildEngine` without a SQL source). */
export const SCALE_TOOLS = ['search_documents', 'get_document'];

/**
 * Seeds users (each in two of `users / 5` groups), threads of eight members and documents with
 * one or two reader groups (a tenth readable by everyone) through the store's own methods, a
 * thousand writes per transaction to keep setup short.
 */
export async function seedPopulation(store: SqliteStore, size: PopulationSize, seed: number): Promise<Population> {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const groups = Array.from({ length: Math.max(10, Math.floor(size.users / 5)) }, (_, index) => `grp-${index}`);
  const users = Array.from({ length: size.users }, (_, index) => `user-${index}`);
  const threads = new Map<string, string[]>();
  const documents = Array.from({ length: size.documents }, (_, index) => `doc-${index}`);
  await inBatches(store, users, (id) =>
    store.users.upsert({ id, name: id, title: 'Staff', groups: [pick(groups), pick(groups)], managerId: null }),
  );
  const threadIds = Array.from({ length: size.threads }, (_, index) => `thr-${index}`);
  await inBatches(store, threadIds, async (id) => {
    const members = new Set<string>();
    while (members.size < Math.min(MEMBERS_PER_THREAD, users.length)) members.add(pick(users));
    const list = [...members];
    threads.set(id, list);
    await store.threads.create(
      { id, title: id, ownerId: list[0] as string, mode: 'user', agentId: null, createdAt: 0 },
      list,
    );
  });
  await inBatches(store, documents, (id) => {
    const readers = random() < 0.1 ? ['everyone'] : [`group:${pick(groups)}`];
    if (random() < 0.3) readers.push(`group:${pick(groups)}`);
    return store.documents.upsert({
      id,
      title: `Document ${id}`,
      body: 'Quarterly notes.',
      label: pick(LABELS),
      readers,
    });
  });
  return { users, threads, documents };
}

async function inBatches<T>(store: SqliteStore, items: readonly T[], write: (item: T) => Promise<unknown>) {
  for (let from = 0; from < items.length; from += 1000) {
    store.db.exec('BEGIN IMMEDIATE');
    try {
      for (const item of items.slice(from, from + 1000)) await write(item);
      store.db.exec('COMMIT');
    } catch (error) {
      store.db.exec('ROLLBACK');
      throw error;
    }
  }
}

/** The decision kinds the gateway and delivery take, in the order requests cycle through them. */
export const DECISION_KINDS = ['invokeAgent', 'useTool', 'readDocument', 'readLabel'] as const;

/**
 * `count` requests drawn at random from the population, cycling through the kinds: a member
 * invoking the agent in their thread, a user's tool use through the agent, a document read
 * through the agent, and a label clearance check at delivery.
 */
export function drawRequests(population: Population, count: number, seed: number): AuthorizationRequest[] {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const threadIds = [...population.threads.keys()];
  const viaAgent = { viaAgent: true, mode: 'user' } as const;
  return Array.from({ length: count }, (_, index): AuthorizationRequest => {
    switch (DECISION_KINDS[index % DECISION_KINDS.length]) {
      case 'invokeAgent': {
        const threadId = pick(threadIds);
        const member = pick(population.threads.get(threadId) as string[]);
        const resource = { type: 'Thread', id: threadId } as const;
        return {
          principal: { type: 'User', id: member },
          action: 'invokeAgent',
          resource,
          context: { viaAgent: false },
        };
      }
      case 'useTool':
        return {
          principal: { type: 'User', id: pick(population.users) },
          action: 'useTool',
          resource: { type: 'Tool', id: pick(SCALE_TOOLS) },
          context: viaAgent,
        };
      case 'readDocument':
        return {
          principal: { type: 'User', id: pick(population.users) },
          action: 'readDocument',
          resource: { type: 'Document', id: pick(population.documents) },
          context: viaAgent,
        };
      default:
        return {
          principal: { type: 'User', id: pick(population.users) },
          action: 'readLabel',
          resource: { type: 'Label', id: pick(LABELS) },
          context: { viaAgent: false },
        };
    }
  });
}
