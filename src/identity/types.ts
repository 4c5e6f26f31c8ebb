/** A human's stable id (`alice`). The agent is never a User. */
export type UserId = string;

/** A value of a person's attribute: what data-source claims can be templated from. */
export type UserAttributeValue = string | number | boolean;

/** A person's extra facts by name (`uid`, `department`), templated into data-source claims. */
export type UserAttributes = Record<string, UserAttributeValue>;

/** A person of the deployment, with the groups policy reasons about. */
export interface User {
  id: UserId;
  name: string;
  title: string;
  /** Group names (`hr`, `sales-emea`); membership is what Cedar's `principal in Group::"…"` sees. */
  groups: string[];
  /** Direct manager, for the management chain the data sources use. */
  managerId: UserId | null;
  /** Work email (`{{user.email}}` in data-source claims); null when unknown. */
  email: string | null;
  /** Extra facts templated into data-source claims (`{{user.attributes.uid}}`). */
  attributes: UserAttributes;
  /**
   * False once the identity provider deprovisioned the person (SCIM `active: false`, or a
   * deletion): they are then treated as gone everywhere — no sign-in, no session, every policy
   * decision about them denies (see `isActiveUser`).
   */
  active: boolean;
  /**
   * How the identity provider names the person (SCIM `userName`), unique without regard to
   * case; null for someone it never provisioned (a workspace person it has not adopted yet).
   */
  userName: string | null;
  /** The identity provider's own id for the person (SCIM `externalId`). */
  externalId: string | null;
  /**
   * When the person was deleted (SCIM `DELETE`), or null. A deleted person stays as a tombstone:
   * inactive for good, so their id — named by threads, answers and audit records — is never
   * given to someone else.
   */
  deletedAt: number | null;
  /** Bumped on every change; part of every memoized decision key (I3). */
  version: number;
}

/**
 * Fields a caller sets when creating or updating a user. The fields after `managerId` are
 * optional: on creation they default to no email, no attributes, active, not provisioned; on
 * update an omitted field keeps its value (a workspace seed or an OIDC login never reactivates
 * someone the identity provider deprovisioned). `deletedAt` is not set this way (`UserStore.update`).
 */
export type UserInput = Pick<User, 'id' | 'name' | 'title' | 'groups' | 'managerId'> &
  Partial<Pick<User, 'email' | 'attributes' | 'active' | 'userName' | 'externalId'>>;

/** The fields one `UserStore.update` changes; omitted ones keep their value. */
export type UserChange = Partial<Omit<User, 'id' | 'version'>>;

/**
 * A group as the identity provider manages it (SCIM `Group`). Membership itself lives on the
 * people (`User.groups`); a record gives a group a display name and lets it exist while empty.
 * Groups that people hold without a record exist too (seeded, from OIDC claims).
 */
export interface GroupRecord {
  /** The group name policies use (`sales-emea`); the SCIM id. Never changes. */
  name: string;
  /** The identity provider's name for it (`Sales EMEA`), unique without regard to case. */
  displayName: string;
  externalId: string | null;
  createdAt: number;
}

/** Storage port for users (and the group records of provisioning). */
export interface UserStore {
  /** The user, active or not (callers that act for people use `activeUsers`, which hides the inactive). */
  get(id: UserId): Promise<User | undefined>;
  /**
   * The users among `ids` that exist, in no particular order, in one round trip (the realtime
   * hub reads every reader of an event at once through it).
   */
  getMany(ids: readonly UserId[]): Promise<User[]>;
  /** Every user, deleted ones included, ordered by id. */
  list(): Promise<User[]>;
  /** Insert or update; bumps `version` only when something changed. A deleted user stays inactive. */
  upsert(user: UserInput): Promise<User>;
  /** Creates the user; undefined when the id or (without regard to case) the `userName` is taken. */
  create(user: UserInput): Promise<User | undefined>;
  /** The user whose `userName` is this one without regard to case (deleted users have none). */
  findByUserName(userName: string): Promise<User | undefined>;
  /**
   * Read-modify-write of one user, atomic against concurrent writers (other processes
   * included): `change` sees the current user and returns the fields to change, or undefined
   * to change nothing; it is called again if someone else wrote in between. Bumps `version`
   * only when something changed. A deleted user stays deleted and inactive. Undefined when
   * there is no such user. Refuses (throws) a `userName` another user holds.
   */
  update(id: UserId, change: (current: User) => UserChange | undefined): Promise<User | undefined>;
  /** Group records, ordered by name. */
  listGroups(): Promise<GroupRecord[]>;
  getGroup(name: string): Promise<GroupRecord | undefined>;
  /** Creates the record; false when the name or (case-insensitively) the display name is taken. */
  createGroup(group: GroupRecord): Promise<boolean>;
  /** Changes a record's display name or external id; undefined when there is none, throws when the display name is taken. */
  updateGroup(
    name: string,
    change: Partial<Pick<GroupRecord, 'displayName' | 'externalId'>>,
  ): Promise<GroupRecord | undefined>;
  /** Removes the record (members keep the group until taken out of it); false when there was none. */
  deleteGroup(name: string): Promise<boolean>;
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
  /** Ends every session of one user; returns the token hashes it removed. */
  deleteForUser(userId: UserId): Promise<string[]>;
}
