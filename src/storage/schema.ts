/**
 * Row shapes of the storage tables, as Kysely sees them. Shared by every adapter: column names
 * are snake_case, timestamps are integer milliseconds, JSON values are stored as text so the
 * same schema runs on SQLite and PostgreSQL. Numbers may come back as strings from PostgreSQL
 * drivers (bigint), which is why the row mappers pass every numeric column through `Number`.
 */
export interface StorageDatabase {
  users: UserRow;
  user_groups: UserGroupRow;
  sessions: SessionRow;
  threads: ThreadRow;
  thread_members: ThreadMemberRow;
  messages: MessageRow;
  runs: RunRow;
  approvals: ApprovalRow;
  standing_approvals: StandingApprovalRow;
  documents: DocumentRow;
  document_readers: DocumentReaderRow;
  document_removals: DocumentRemovalRow;
  audit_log: AuditRow;
  signing_keys: SigningKeyRow;
  jtis: JtiRow;
  tool_calls: ToolCallRow;
  agent_identities: AgentIdentityRow;
  agent_memories: AgentMemoryRow;
}

/** A numeric column as read back: SQLite gives numbers, some PostgreSQL drivers strings. */
type Numeric = number | string;

export interface UserRow {
  id: string;
  name: string;
  title: string;
  /** JSON array of group names. */
  groups: string;
  manager_id: string | null;
  version: Numeric;
  /** Migration 0007 (the user directory of SCIM provisioning): work email. */
  email: string | null;
  /** JSON object of attribute values, keys sorted (so equal attributes are equal text). */
  attributes: string;
  /** 1 active, 0 deprovisioned. */
  active: Numeric;
  /** SCIM `userName` as the identity provider spells it. */
  user_name: string | null;
  /** `user_name` lower-cased: unique, so two people never share a `userName` whatever its case. */
  user_name_key: string | null;
  external_id: string | null;
  deleted_at: Numeric | null;
}

/** A group record of provisioning (migration 0007); members are on the users. */
export interface UserGroupRow {
  name: string;
  display_name: string;
  /** `display_name` lower-cased: unique. */
  display_key: string;
  external_id: string | null;
  created_at: Numeric;
}

export interface SessionRow {
  token_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: Numeric;
  expires_at: Numeric;
}

export interface ThreadRow {
  id: string;
  title: string;
  owner_id: string;
  mode: string;
  /** The agent identity a self-authorized thread's agent acts as (migration 0004). */
  agent_id: string | null;
  created_at: Numeric;
  version: Numeric;
}

export interface AgentIdentityRow {
  id: string;
  name: string;
  /** JSON array of group names. */
  groups: string;
  /** JSON array of group names. */
  assigners: string;
  provisioned_by: string;
  created_at: Numeric;
  version: Numeric;
}

export interface ThreadMemberRow {
  thread_id: string;
  user_id: string;
}

export interface MessageRow {
  id: string;
  thread_id: string;
  seq: Numeric;
  kind: string;
  author_id: string | null;
  text: string;
  /** JSON `Audience`. */
  audience: string;
  /** JSON array of labels. */
  labels: string;
  run_id: string | null;
  requester_id: string | null;
  private_reason: string | null;
  shared_by: string | null;
  /** JSON array of the readers shares released the message to (migration 0005). */
  shared_with: string;
  created_at: Numeric;
  /** JSON array of `LabelOrigin` of an agent answer, null otherwise (migration 0010). */
  label_origins: string | null;
  /** `shared` or `private` for the parts of a split answer, null otherwise (migration 0010). */
  answer_part: string | null;
}

export interface RunRow {
  id: string;
  thread_id: string;
  requester_id: string;
  trigger_message_id: string;
  mode: string;
  status: string;
  answer_message_id: string | null;
  error: string | null;
  /** JSON array of `RunStep`. */
  steps: string;
  /** JSON array of labels. */
  labels: string;
  /** JSON of the opaque resume state; `null` JSON when absent. */
  state: string;
  created_at: Numeric;
  updated_at: Numeric;
  lease_owner: string | null;
  lease_expires_at: Numeric | null;
  /** `me` or `room`: who the requester asked the answer for (migration 0010). */
  audience: string;
  /** The thread's part of a split answer (migration 0010). */
  shared_message_id: string | null;
}

export interface ApprovalRow {
  id: string;
  run_id: string;
  thread_id: string;
  requester_id: string;
  tool: string;
  call_id: string;
  /** JSON of the arguments shown on the approval card. */
  args: string;
  status: string;
  /** 0 or 1: integers rather than booleans so both dialects read the same value. */
  always: Numeric;
  created_at: Numeric;
  decided_at: Numeric | null;
}

export interface StandingApprovalRow {
  user_id: string;
  tool: string;
  created_at: Numeric;
}

export interface DocumentRow {
  id: string;
  title: string;
  body: string;
  label: string;
  /** JSON array of ACL principals, exactly as given (order kept); `document_readers` indexes it. */
  readers: string;
  version: Numeric;
  /** Migration 0008: where the document came from (`folder:<path>`), null when written by hand. */
  origin: string | null;
}

export interface DocumentReaderRow {
  document_id: string;
  principal: string;
}

/** The last version of a removed document (migration 0008): a successor continues from it. */
export interface DocumentRemovalRow {
  id: string;
  version: Numeric;
}

export interface AuditRow {
  seq: Numeric;
  id: string;
  at: Numeric;
  requester: string | null;
  agent: string | null;
  mode: string;
  thread_id: string | null;
  run_id: string | null;
  action: string;
  resource: string;
  decision: string;
  /** JSON array of policy ids. */
  policies: string;
  reason: string | null;
  args_hash: string | null;
  result_hash: string | null;
  /** JSON array of labels, or null when the entry carried none (distinct from `[]`). */
  labels: string | null;
  call_id: string | null;
  prev_hash: string;
  hash: string;
  /** `data.query` statement shape, when policy lets it be kept (migration 0006). */
  statement: string | null;
  /** SHA-256 of the exact statement text (migration 0006). */
  statement_hash: string | null;
}

export interface SigningKeyRow {
  kid: string;
  /** JSON JWK. */
  public_jwk: string;
  /** JSON JWK. */
  private_jwk: string;
  created_at: Numeric;
  retired_at: Numeric | null;
}

export interface JtiRow {
  jti: string;
  expires_at: Numeric;
}

export interface ToolCallRow {
  call_id: string;
  run_id: string;
  tool: string;
  args_hash: string;
  started_at: Numeric;
  completed_at: Numeric | null;
}

/** A fact the agent remembered (migration 0009). */
export interface AgentMemoryRow {
  id: string;
  thread_id: string;
  text: string;
  requester_id: string;
  created_at: Numeric;
  /** JSON array of labels. */
  labels: string;
  /** JSON `MemoryOrigin`. */
  origin: string;
}
