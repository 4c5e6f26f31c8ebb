import type { AgentIdentity, Session, User, UserInput } from '../../identity/types.ts';
import type { AgentIdentityRow, SessionRow, UserRow } from '../schema.ts';

/** A user row as a `User`. */
export function userFromRow(row: UserRow): User {
  return {
    id: row.id,
    name: row.name,
    title: row.title,
    groups: JSON.parse(row.groups) as string[],
    managerId: row.manager_id,
    version: Number(row.version),
  };
}

/** The columns a `UserInput` sets, version excluded (the store owns it). */
export function userColumns(user: UserInput): Omit<UserRow, 'version'> {
  return {
    id: user.id,
    name: user.name,
    title: user.title,
    groups: JSON.stringify(user.groups),
    manager_id: user.managerId,
  };
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
