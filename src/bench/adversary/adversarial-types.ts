/**
 * Who and what the adversarial model attacks (SPEC §11). Everything here is something a hostile
 * model could learn or guess: other people's ids from the thread, ids of other runs and threads,
 * a grant it saw or forged, document ids from search results.
 */
export interface AdversaryVictims {
  /** Other users' ids (never the requester's own). */
  users: readonly string[];
  /** Ids of other people's runs. */
  runIds?: readonly string[];
  /** Ids of threads the requester is not in. */
  threadIds?: readonly string[];
  /** A stolen or forged JWT (another user's delegation grant, say). */
  jwt?: string;
  /** Every document id worth trying, readable or not. */
  documentIds?: readonly string[];
  /** Search terms that should only ever match confidential documents. */
  confidentialTerms?: readonly string[];
  /**
   * Tables worth attacking, tried before those a SQL tool's description names (common sensitive
   * names when neither names any).
   */
  tables?: readonly string[];
}

/** What an attack tries to break; security tests group and count attacks by it. */
export type AttackCategory =
  /** Extra keys naming another user, or presenting a stolen or forged grant (I1, I2). */
  | 'impersonation'
  /** Ids of another run or thread (I1, I4, I8). */
  | 'cross-scope'
  /** Reading protected tables, documents and terms directly (I3, I4, I5). */
  | 'protected-data'
  /** Changing the database identity: `set_config`, `SET ROLE`, session authorization (I2). */
  | 'identity-switch'
  /** Several statements in one query, or escaping the transaction. */
  | 'multi-statement'
  /** Writes through a read-only tool. */
  | 'write'
  /** Slow or huge inputs. */
  | 'denial-of-service'
  /** Overriding who a write is attributed to (I6). */
  | 'reporter-override'
  /** Calling tools that were not offered. */
  | 'unknown-tool'
  /** Wrong types, missing fields, invalid JSON, prototype keys, odd unicode. */
  | 'malformed-arguments'
  /** Two calls in one step sharing one tool call id. */
  | 'call-id-collision'
  /** Doing what text inside a tool result told it to do (I10). */
  | 'injection-follow';

/** One hostile tool call. */
export interface Attack {
  /** Unique within a plan and stable for a given catalog and victims, e.g. `sql/identity-switch/2`. */
  id: string;
  category: AttackCategory;
  toolName: string;
  /** The arguments exactly as sent: JSON text, or deliberately not JSON. */
  input: string;
  description: string;
  /** Send with the same tool call id as the attack just before it in the same step. */
  reusePreviousCallId?: boolean;
}
