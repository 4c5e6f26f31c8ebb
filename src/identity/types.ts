/** A human's stable id (`alice`). The agent is never a User. */
export type UserId = string;

/** A person of the deployment, with the groups policy reasons about. */
export interface User {
  id: UserId;
  name: string;
  title: string;
  /** Group names (`hr`, `sales-emea`); membership is what Cedar's `principal in Group::"…"` sees. */
  groups: string[];
  /** Direct manager, for the management chain the data sources use. */
  managerId: UserId | null;
  /** Bumped on every change; part of every memoized decision key (I3). */
  version: number;
}

/** Fields a caller sets when creating or updating a user. */
export type UserInput = Omit<User, 'version'>;

/** Storage port for users. */
export interface UserStore {
  get(id: UserId): Promise<User | undefined>;
  /**
   * The users among `ids` that exist, in no particular order, in one round trip (the realtime
   * hub reads every reader of an event at once through it).
   */
  getMany(ids: readonly UserId[]): Promise<User[]>;
  list(): Promise<User[]>;
  /** Insert or update; bumps `version` only when something changed. */
  upsert(user: UserInput): Promise<User>;
}

/**
 * An agent identity: the principal a self-authorized thread's agent acts as (SPEC §9). Agent
 * identities are provisioned by someone policy allows (`provisionAgent`), never invented by a
 * thread owner; they hold exactly their `groups`' rights, and `assigners` names the groups whose
 * members may assign the identity to a thread they own (`assignAgent`).
 */
export interface AgentIdentity {
  /** Stable id, lower-case (`sales-assistant`); the Cedar principal is `Agent::"<id>"`. */
  id: string;
  name: string;
  groups: string[];
  assigners: string[];
  /** The person accountable for it. */
  provisionedBy: UserId;
  createdAt: number;
  /** Bumped on every change; part of every memoized decision key (I3). */
  version: number;
}

/** Storage port for agent identities. */
export interface AgentIdentityStore {
  get(id: string): Promise<AgentIdentity | undefined>;
  list(): Promise<AgentIdentity[]>;
  /** Creates the identity; false when the id is taken (nothing changes). */
  create(identity: Omit<AgentIdentity, 'version'>): Promise<boolean>;
}

/** An authenticated browser or API session. The raw token is never stored, only its hash. */
export interface Session {
  tokenHash: string;
  userId: UserId;
  csrfToken: string;
  createdAt: number;
  expiresAt: number;
}

/** Storage port for sessions. */
export interface SessionStore {
  create(session: Session): Promise<void>;
  get(tokenHash: string): Promise<Session | undefined>;
  delete(tokenHash: string): Promise<void>;
  deleteExpired(now: number): Promise<number>;
}
