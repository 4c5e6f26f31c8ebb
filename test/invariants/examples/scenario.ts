import type { User } from '../../../src/identity/types.ts';
import type { ExampleDatabase } from '../../support/example-database.ts';

/** A thread the suite creates: its owner and the other members. */
export interface ThreadPlan {
  owner: string;
  members: readonly string[];
}

/** A statement some person runs, in one of the scenario's threads. */
export interface Ask {
  person: string;
  thread: ThreadName;
  query: string;
}

export type ThreadName = 'room' | 'pair' | 'other';

/**
 * What the I1–I10 suite needs to know of an example workspace, written out by hand from its
 * behalf.yaml, its setup SQL and its documents: people and their groups, the label rules, the
 * database the oracle queries directly, and which person plays which part. The suite itself
 * (`../example-workspaces.test.ts`) is the same for every example.
 */
export interface InvariantScenario {
  name: string;
  /** The workspace directory, served as `behalf serve --workspace` serves it. */
  dir: string;
  /** Each person's groups. */
  groups: Readonly<Record<string, readonly string[]>>;
  /** Whether someone in `groups` is cleared for `label`, by the example's rules, decided without Cedar. */
  cleared(groups: readonly string[], label: string): boolean;
  openOnPglite(): Promise<ExampleDatabase>;
  openOnPostgres(): Promise<ExampleDatabase>;
  /** A table the `sql` tool's description must list. */
  listedTable: string;
  /**
   * Threads the suite creates. `room`: several people with different clearances; `pair`: two
   * people, owned by the first; `other`: a thread of people outside `pair`.
   */
  threads: Record<ThreadName, ThreadPlan>;
  /** I1: two members of `pair` ask the same statement, whose rows differ per person; the first names `impersonated`. */
  binding: { first: string; second: string; impersonated: string; query: string };
  /** I2: what a grant-checking run reads (a table and a document everyone may read). */
  everyday: Ask & { documentId: string };
  /** I2: someone not cleared for what `query` reads, whose grant is replaced by a forged one naming `impersonated`. */
  forged: Ask & { impersonated: string };
  /**
   * I3: `person` (a member of `pair`) loses access mid-turn through `change` (a group, a claim
   * attribute): `documentId` readable before, not after; `query` returns rows before, none after.
   */
  revoked: { person: string; documentId: string; query: string; change(user: User): User };
  /** I4, I5: a labelled read in `room` by someone cleared for it; `uncleared` asks next. */
  sensitive: Ask & { label: string; uncleared: string; values: string };
  /** I5: an answer its requester may share with the room; `viewer` sees it after the share. */
  shareable: Ask & { viewer: string };
  /** I5: a private answer its requester may not share. */
  unshareable: Ask;
  /** I5: a statement that fails reading `label`ed rows. */
  failing: Ask & { label: string };
  /** I7: `pair`'s requester of a write, and the other member who tries to approve it. */
  approval: { requester: string; thief: string };
  /** I8: someone outside `room`, and a statement `pair`'s second member runs twice while removed. */
  membership: { outsider: string; query: string };
  /** I9: a grant of one person's call, replayed in another's. */
  partition: { first: Ask; second: Ask };
  /** I10: who the adversary acts for, and where. */
  adversaries: ReadonlyArray<readonly [person: string, thread: ThreadName]>;
  /** I10: single-column statements whose values prove a read: anything outside a person's own rows is forbidden to them. */
  valueQueries: readonly string[];
  /** I10: statements aimed at this example's data that no person may use to read more than their own rows. */
  probes(person: string): string[];
}
