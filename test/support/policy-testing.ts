import type { UserId } from '../../src/identity/types.ts';
import { type CedarPolicyEngineOptions, createCedarPolicyEngine } from '../../src/policy/cedar-policy-engine.ts';
import { loadPolicyDirectory } from '../../src/policy/policy-loader.ts';
import type { EntityResolver, PolicyEngine } from '../../src/policy/types.ts';
import { ACME_DOCUMENTS, ACME_THREAD, ACME_USERS } from './acme/demo.ts';

type ResolvedUser = NonNullable<Awaited<ReturnType<EntityResolver['user']>>>;
type ResolvedThread = NonNullable<Awaited<ReturnType<EntityResolver['thread']>>>;
type ResolvedDocument = NonNullable<Awaited<ReturnType<EntityResolver['document']>>>;
type ResolvedTool = NonNullable<Awaited<ReturnType<EntityResolver['tool']>>>;
type ResolvedMessage = NonNullable<Awaited<ReturnType<EntityResolver['message']>>>;
type ResolvedAgent = NonNullable<Awaited<ReturnType<EntityResolver['agent']>>>;

/** Entity data without versions: the memory resolver assigns a fresh version on every put. */
export type Unversioned<T> = Omit<T, 'version'>;

/**
 * An in-memory {@link EntityResolver} for tests. Every `put*` replaces the entity and bumps its
 * version, exactly as a store does on change, so memoized decisions about it miss (I3).
 */
export interface MemoryEntityResolver extends EntityResolver {
  putUser(user: Unversioned<ResolvedUser>): void;
  putThread(thread: Unversioned<ResolvedThread>): void;
  putDocument(document: Unversioned<ResolvedDocument>): void;
  putTool(tool: Unversioned<ResolvedTool>): void;
  putMessage(message: Unversioned<ResolvedMessage>): void;
  putAgent(agent: Unversioned<ResolvedAgent>): void;
  /** Changes a thread's members (bumping its version), like a membership store would. */
  setThreadMembers(threadId: string, members: UserId[]): void;
}

/** The demo tools and their effects (the tools domain owns the real definitions). */
export const DEMO_TOOL_EFFECTS: Readonly<Record<string, 'read' | 'write'>> = {
  sql: 'read',
  search_documents: 'read',
  get_document: 'read',
  create_ticket: 'write',
};

/** Creates an empty in-memory resolver; `seed` fills it. */
export function createMemoryEntityResolver(seed: Partial<SeedData> = {}): MemoryEntityResolver {
  let clock = 0;
  const users = new Map<string, ResolvedUser>();
  const threads = new Map<string, ResolvedThread>();
  const documents = new Map<string, ResolvedDocument>();
  const tools = new Map<string, ResolvedTool>();
  const messages = new Map<string, ResolvedMessage>();
  const agents = new Map<string, ResolvedAgent>();
  // Structured copies so a test editing its fixture cannot change an entity behind the version.
  const stamp = <T extends object>(value: T) => ({ ...structuredClone(value), version: ++clock });

  const resolver: MemoryEntityResolver = {
    user: async (id) => users.get(id),
    thread: async (id) => threads.get(id),
    document: async (id) => documents.get(id),
    tool: async (name) => tools.get(name),
    message: async (id) => messages.get(id),
    agent: async (id) => agents.get(id),
    putUser: (user) => void users.set(user.id, stamp(user)),
    putThread: (thread) => void threads.set(thread.id, stamp(thread)),
    putDocument: (document) => void documents.set(document.id, stamp(document)),
    putTool: (tool) => void tools.set(tool.name, stamp(tool)),
    putMessage: (message) => void messages.set(message.id, stamp(message)),
    putAgent: (agent) => void agents.set(agent.id, stamp(agent)),
    setThreadMembers(threadId, members) {
      const thread = threads.get(threadId);
      if (!thread) throw new Error(`no thread ${threadId}`);
      threads.set(threadId, stamp({ ...thread, members }));
    },
  };
  for (const user of seed.users ?? []) resolver.putUser(user);
  for (const thread of seed.threads ?? []) resolver.putThread(thread);
  for (const document of seed.documents ?? []) resolver.putDocument(document);
  for (const tool of seed.tools ?? []) resolver.putTool(tool);
  for (const message of seed.messages ?? []) resolver.putMessage(message);
  return resolver;
}

/** What {@link createMemoryEntityResolver} can be seeded with. */
export interface SeedData {
  users: Unversioned<ResolvedUser>[];
  threads: Unversioned<ResolvedThread>[];
  documents: Unversioned<ResolvedDocument>[];
  tools: Unversioned<ResolvedTool>[];
  messages: Unversioned<ResolvedMessage>[];
}

/**
 * The Acme demo as entities: its eight people, its documents, the demo tools and the seeded
 * thread "Q3 planning" (no agent identity; tests assign one for self mode).
 */
export function createAcmeEntityResolver(): MemoryEntityResolver {
  return createMemoryEntityResolver({
    users: ACME_USERS.map((user) => ({ id: user.id, groups: [...user.groups] })),
    documents: ACME_DOCUMENTS.map((document) => ({
      id: document.id,
      label: document.label,
      readers: [...document.readers],
    })),
    tools: Object.entries(DEMO_TOOL_EFFECTS).map(([name, effect]) => ({ name, effect })),
    threads: [{ id: ACME_THREAD.id, ownerId: ACME_THREAD.ownerId, members: [...ACME_THREAD.members], agent: null }],
  });
}

/**
 * A Cedar engine over Behalf's own policies and the Acme resolver, for tests of any domain.
 * Returns the resolver too, so a test can change membership or groups and watch decisions follow.
 */
export async function createAcmeTestEngine(
  options: Partial<Omit<CedarPolicyEngineOptions, 'resolver'>> = {},
): Promise<{ engine: PolicyEngine; resolver: MemoryEntityResolver }> {
  const resolver = createAcmeEntityResolver();
  const policies = options.policies ?? (await loadPolicyDirectory());
  const engine = await createCedarPolicyEngine({ ...options, policies, resolver });
  return { engine, resolver };
}

/** An agent identity holding `groups`, as a thread's `agent` in self-mode tests. */
export function testAgent(groups: readonly string[], id = 'assistant'): NonNullable<ResolvedThread['agent']> {
  return { id, groups: [...groups], assigners: [], version: 1 };
}
