import type {
  AgentIdentity,
  GroupRecord,
  Session,
  User,
  UserAttributes,
  UserChange,
  UserInput,
} from '../../identity/types.ts';
import type { AgentIdentityRow, SessionRow, UserGroupRow, UserRow } from '../schema.ts';

/** A user row as a `User`. */
export function userFromRow(row: UserRow): User {
  return {
    id: row.id,
    name: row.name,
    title: row.title,
    groups: JSON.parse(row.groups) as string[],
    managerId: row.manager_id,
    email: row.email ?? null,
    attributes: JSON.parse(row.attributes ?? '{}') as UserAttributes,
    active: Number(row.active ?? 1) === 1,
    userName: row.user_name ?? null,
    externalId: row.external_id ?? null,
    deletedAt: row.deleted_at === null || row.deleted_at === undefined ? null : Number(row.deleted_at),
    version: Number(row.version),
  };
}

/** Columns of a user row, version excluded (the store owns it). */
export type UserColumns = Omit<UserRow, 'version'>;

/**
 * The columns a `UserInput` sets when it creates a user: what it leaves out takes its default
 * (no email, no attributes, active, not provisioned, not deleted).
 */
export function userColumns(user: UserInput): UserColumns {
  return {
    id: user.id,
    name: user.name,
    title: user.title,
    groups: JSON.stringify(user.groups),
    manager_id: user.managerId,
    email: user.email ?? null,
    attributes: attributesText(user.attributes ?? {}),
    active: user.active === false ? 0 : 1,
    user_name: user.userName ?? null,
    user_name_key: userNameKey(user.userName ?? null),
    external_id: user.externalId ?? null,
    deleted_at: null,
  };
}

/** The columns an update of an existing user writes: only those `user` names. */
export function userColumnsGiven(user: UserInput): Array<keyof UserColumns> {
  const columns: Array<keyof UserColumns> = ['name', 'title', 'groups', 'manager_id'];
  if (user.email !== undefined) columns.push('email');
  if (user.attributes !== undefined) columns.push('attributes');
  if (user.active !== undefined) columns.push('active');
  if (user.userName !== undefined) columns.push('user_name', 'user_name_key');
  if (user.externalId !== undefined) columns.push('external_id');
  return columns;
}

/**
 * A user with `change` applied, keeping what deletion means: a deleted user stays deleted
 * (`deletedAt` is never cleared or moved) and inactive.
 */
export function changedUser(current: User, change: UserChange): User {
  const defined = Object.fromEntries(Object.entries(change).filter(([, value]) => value !== undefined));
  const next: User = { ...current, ...defined, id: current.id, version: current.version };
  if (current.deletedAt !== null) next.deletedAt = current.deletedAt;
  if (next.deletedAt !== null) next.active = false;
  return next;
}

/** Every column of a whole user, version excluded. */
export function userRowColumns(user: User): UserColumns {
  return {
    ...userColumns(user),
    deleted_at: user.deletedAt,
  };
}

/** Equal attributes are equal text: keys sorted. */
export function attributesText(attributes: UserAttributes): string {
  const sorted: UserAttributes = {};
  for (const key of Object.keys(attributes).sort()) sorted[key] = attributes[key] as UserAttributes[string];
  return JSON.stringify(sorted);
}

/** The lookup key of a SCIM `userName`: compared without regard to case. */
export function userNameKey(userName: string | null): string | null {
  return userName === null ? null : userName.toLowerCase();
}

/** A group record row as a `GroupRecord`. */
export function groupFromRow(row: UserGroupRow): GroupRecord {
  return {
    name: row.name,
    displayName: row.display_name,
    externalId: row.external_id,
    createdAt: Number(row.created_at),
  };
}

/** The lookup key of a group's display name: compared without regard to case. */
export function displayNameKey(displayName: string): string {
  return displayName.toLowerCase();
}

/** A session row as a `Session`. */
export function sessionFromRow(row: SessionRow): Session {
  return {
    tokenHash: row.token_hash,
    userId: row.user_id,
    csrfToken: row.csrf_token,
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
  };
}

/** A `Session` as a row. */
export function sessionToRow(session: Session): SessionRow {
  return {
    token_hash: session.tokenHash,
    user_id: session.userId,
    csrf_token: session.csrfToken,
    created_at: session.createdAt,
    expires_at: session.expiresAt,
  };
}

/** An agent identity row as an `AgentIdentity`. */
export function agentIdentityFromRow(row: AgentIdentityRow): AgentIdentity {
  return {
    id: row.id,
    name: row.name,
    groups: JSON.parse(row.groups) as string[],
    assigners: JSON.parse(row.assigners) as string[],
    provisionedBy: row.provisioned_by,
    createdAt: Number(row.created_at),
    version: Number(row.version),
  };
}
