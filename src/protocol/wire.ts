/**
 * Behalf's wire protocol v1 (SPEC §6): the JSON shapes of every HTTP request and response and of
 * every WebSocket frame, shared by the server, the SDK and the web UI. zod schemas validate what
 * comes in; the TypeScript types describe what goes out. This module is the contract — change it
 * deliberately and document every field.
 *
 * Conventions: ids are opaque strings; times are milliseconds since the epoch; errors are
 * `{ error: { code, message } }` with the codes of `errors.ts`.
 */
import { z } from 'zod';
import type { PolicyAction } from '../policy/types.ts';
import {
  AnswerAudienceSchema,
  type AnswerAudienceWire,
  type AnswerPartWire,
  type LabelOriginWire,
  type LabelSourceWire,
} from './answer-wire.ts';

// ---------------------------------------------------------------------------------------------
// Shared pieces

/** A user id as it appears in paths and bodies: `alice`. */
export const UserIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, dot, dash or underscore');

/** An opaque entity id (`thr_…`, `msg_…`, `run_…`, `apr_…`). */
export const EntityIdSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_:.-]+$/, 'an id');

/** Who may see an item: the whole thread, or listed users only. */
export type AudienceWire = { kind: 'thread' } | { kind: 'users'; users: string[] };

/** A person as shown to other people. */
export interface UserWire {
  id: string;
  name: string;
  title: string;
  groups: string[];
}

// ---------------------------------------------------------------------------------------------
// Sessions — POST /api/session, GET /api/me, DELETE /api/session

/** Dev login (embedded default only; off when OIDC is configured). */
export const CreateSessionBody = z.strictObject({ user: UserIdSchema });

/** Response of `POST /api/session`. The token also works as `Authorization: Bearer <token>`. */
export interface SessionResponse {
  user: UserWire;
  token: string;
  /** Send back as `X-CSRF-Token` on cookie-authenticated writes. */
  csrfToken: string;
}

/** Response of `GET /api/me`. */
export interface MeResponse {
  user: UserWire;
  csrfToken: string | null;
  /** Whether this user may read the whole audit log (auditors). */
  canReadAudit: boolean;
}

/**
 * `GET /api/auth/config` (unauthenticated): which sign-in the web UI shows. Exactly one of the
 * two is on: dev login on the embedded default, OIDC when a provider is configured. A browser
 * starts an OIDC login by navigating to `oidc.loginUrl`; a refused login comes back to
 * `/?login_error=<code>` (codes in `login-errors.ts`).
 */
export interface AuthConfigResponse {
  devLogin: boolean;
  oidc: { loginUrl: string; issuer: string } | null;
}

/**
 * `DELETE /api/session` with OIDC configured and a provider that supports RP-initiated logout
 * (200); otherwise the route answers 204 with no body. Navigate to `endSessionUrl` to end the
 * provider's session too.
 */
export interface LogoutResponse {
  endSessionUrl: string;
}

// ---------------------------------------------------------------------------------------------
// Threads — GET/POST /api/threads, GET/PATCH /api/threads/:id, members

export const CreateThreadBody = z.strictObject({
  title: z.string().trim().min(1).max(200),
  members: z.array(UserIdSchema).max(500).default([]),
});

/** An agent identity's id: lower-case letters, digits and dashes. */
export const AgentIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and dashes, at most 63 characters');

/** A group name as policies use it (`sales-emea`). */
const GroupNameSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'a group name');

/** `POST /api/agents`: provision an agent identity (administrators; policy `provisionAgent`). */
export const ProvisionAgentBody = z.strictObject({
  id: AgentIdSchema,
  name: z.string().trim().min(1).max(100),
  /** The groups whose rights the identity holds. */
  groups: z.array(GroupNameSchema).max(50),
  /** The groups whose members may assign it to a thread they own. */
  assigners: z.array(GroupNameSchema).max(50),
});

/** A provisioned agent identity, with whether the caller may assign it. */
export interface AgentIdentityWire {
  id: string;
  name: string;
  groups: string[];
  assigners: string[];
  provisionedBy: string;
  createdAt: number;
  assignable?: boolean;
}

/** Response of `GET /api/agents`. */
export interface AgentIdentitiesResponse {
  agents: AgentIdentityWire[];
}

export const UpdateThreadBody = z
  .strictObject({
    title: z.string().trim().min(1).max(200).optional(),
    mode: z.enum(['user', 'self']).optional(),
    /**
     * The provisioned agent identity the agent acts as in self-authorized mode (`GET /api/agents`
     * lists them); the owner may pick only one policy lets them assign. Groups are never set here.
     */
    agentId: AgentIdSchema.nullable().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, 'nothing to change');

export const AddMemberBody = z.strictObject({ user: UserIdSchema });

export interface ThreadWire {
  id: string;
  title: string;
  ownerId: string;
  mode: 'user' | 'self';
  /** The agent identity of a self-authorized thread (null when none is assigned). */
  agentId: string | null;
  createdAt: number;
  /** Present on `GET /api/threads/:id` and write responses. */
  members?: string[];
}

// ---------------------------------------------------------------------------------------------
// Messages — GET/POST /api/threads/:id/messages, POST /api/messages/:id/share

/**
 * `audience` (default `me`) applies when the message addresses the agent: who the requester asks
 * the answer for (see `AnswerAudienceSchema`).
 */
export const PostMessageBody = z.strictObject({
  text: z.string().min(1).max(8000),
  audience: AnswerAudienceSchema.optional(),
});

export const ListMessagesQuery = z.strictObject({
  after: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});

/** A message the reader may see. */
export interface MessageWire {
  id: string;
  threadId: string;
  seq: number;
  kind: 'human' | 'agent' | 'system';
  authorId: string | null;
  text: string;
  audience: AudienceWire;
  labels: string[];
  runId: string | null;
  /** For agent answers: the person the agent acted for ("on behalf of"). */
  requesterId: string | null;
  /** For a private answer: why only the requester sees it. */
  privateReason: string | null;
  sharedBy: string | null;
  /** The readers shares released this answer to; others read it only if cleared. */
  sharedWith: string[];
  createdAt: number;
  /**
   * For agent answers: where each of `labels` came from (tool call, document, message, memory),
   * one entry per label and source; absent on other messages and on answers stored before.
   */
  labelOrigins?: LabelOriginWire[];
  /** For the parts of a split answer: `shared` (the thread's part) or `private` (the requester's). */
  answerPart?: AnswerPartWire;
  hidden?: false;
}

/** What a reader gets instead of a message they may not see. */
export interface HiddenMessageWire {
  id: string;
  threadId: string;
  seq: number;
  kind: 'human' | 'agent' | 'system';
  hidden: true;
  reason: string;
  authorId: string | null;
  requesterId: string | null;
  createdAt: number;
}

export type MessageItemWire = MessageWire | HiddenMessageWire;

/** Response of `POST /api/threads/:id/messages`. */
export interface PostMessageResponse {
  message: MessageWire;
  /** Present when the message addressed `@agent`: the run it started. */
  run?: RunWire;
}

/** Response of `GET /api/messages/:id/share` (preview) and part of the share dialog. */
export interface SharePreviewWire {
  messageId: string;
  allowed: boolean;
  reason: string | null;
  policies: string[];
  newReaders: Array<{ userId: string; labels: string[] }>;
  declassifies: string[];
  /** Every member the share would release the answer to. */
  readers: string[];
  /** Send it back with the share: a share whose audience or labels changed since is refused (409). */
  version: string;
}

/**
 * `POST /api/messages/:id/share` body (optional): the `version` of the preview the requester
 * confirmed. A 409 `conflict` carries the new preview in `error.data.preview`.
 */
export const ShareBody = z.strictObject({ version: z.string().min(1).max(64).optional() });

// ---------------------------------------------------------------------------------------------
// Runs and approvals — GET /api/runs/:id, POST /api/approvals/:id

export type RunStatusWire = 'queued' | 'running' | 'awaiting_approval' | 'done' | 'failed' | 'cancelled';

export type RunStepWire =
  | {
      kind: 'tool-call';
      at: number;
      callId: string;
      tool: string;
      argsHash: string;
      decision: 'allow' | 'deny' | 'error' | 'approval-required';
      policies: string[];
      reason?: string;
      labels?: string[];
      /** Which table, document, message or memory of the result produced each label. */
      labelSources?: LabelSourceWire[];
      durationMs?: number;
    }
  | { kind: 'model-step'; at: number; index: number; finishReason: string }
  | { kind: 'approval'; at: number; approvalId: string; tool: string; outcome: 'requested' | 'approved' | 'denied' }
  | {
      kind: 'disclosure';
      at: number;
      audience: 'thread' | 'requester';
      labels: string[];
      reason?: string;
      policies: string[];
      /** For a split answer's parts: which part this decision delivered. */
      part?: AnswerPartWire;
      /** Where each label came from. */
      origins?: LabelOriginWire[];
    }
  | { kind: 'error'; at: number; message: string };

/** A run: the requester sees `steps`, `error` and `labels`; other members a summary. */
export interface RunWire {
  id: string;
  threadId: string;
  requesterId: string;
  mode: 'user' | 'self';
  status: RunStatusWire;
  answerMessageId: string | null;
  createdAt: number;
  updatedAt: number;
  summary: { toolCalls: number; denied: number; steps: number };
  steps?: RunStepWire[];
  error?: string | null;
  labels?: string[];
  /** Who the requester asked the answer for (`me` unless they asked for the room). */
  audience: AnswerAudienceWire;
  /** The thread's part of a split answer; `answerMessageId` stays the requester's part. */
  sharedMessageId: string | null;
}

export const DecideApprovalBody = z.strictObject({
  approve: z.boolean(),
  always: z.boolean().default(false),
});

/** An approval request, shown to its requester only. */
export interface ApprovalWire {
  id: string;
  runId: string;
  threadId: string;
  requesterId: string;
  tool: string;
  callId: string;
  args: unknown;
  status: 'pending' | 'approved' | 'denied';
  always: boolean;
  createdAt: number;
  decidedAt: number | null;
}

// ---------------------------------------------------------------------------------------------
// Tools — GET /api/tools

export interface ToolWire {
  name: string;
  description: string;
  /** JSON Schema of the arguments. */
  inputSchema: unknown;
  effect: 'read' | 'write';
  /** Whether a call through the agent waits for the caller's approval. */
  needsApproval: boolean;
}

// ---------------------------------------------------------------------------------------------
// Audit — GET /api/audit, GET /api/audit/export, GET /api/audit/threads, GET /api/audit/verify

/**
 * A point in time in a query string: milliseconds since the epoch (`1767225600000`) or an ISO
 * 8601 date or date-time (`2026-01-01`, `2026-01-01T09:00:00Z`; a date alone is UTC midnight).
 * Clients that mean a local day send its bounds in milliseconds.
 */
export const AuditTimeSchema = z
  .string()
  .max(40)
  .transform((text, context) => {
    const at = /^\d{1,16}$/.test(text) ? Number(text) : Date.parse(text);
    if (!Number.isFinite(at)) {
      context.addIssue({ code: 'custom', message: 'Expected epoch milliseconds or an ISO 8601 date' });
      return z.NEVER;
    }
    return at;
  });

/**
 * Filters shared by the audit page and its export; every given one must match. Auditors see
 * every record; anyone else only the records they requested (`user` naming someone else: 403).
 * - `q`: case-insensitive text found in the action, resource, reason, requester, agent, thread
 *   id, run id or SQL statement (and, for auditors, the thread's title); no wildcards.
 * - `from` (inclusive) and `to` (exclusive): the record's time.
 * - `action`: exact action name (`data.query`).
 */
export const AuditFilterSchema = z.strictObject({
  q: z.string().max(200).optional(),
  from: AuditTimeSchema.optional(),
  to: AuditTimeSchema.optional(),
  user: UserIdSchema.optional(),
  thread: EntityIdSchema.optional(),
  run: EntityIdSchema.optional(),
  decision: z.enum(['allow', 'deny', 'error', 'unknown']).optional(),
  action: z.string().max(64).optional(),
});

/**
 * `GET /api/audit`: the filters plus paging. `order=desc` lists newest first; then `before`
 * (a seq) continues with older records. `after` continues an ascending listing.
 */
export const AuditQuerySchema = AuditFilterSchema.extend({
  after: z.coerce.number().int().min(0).optional(),
  before: z.coerce.number().int().min(1).optional(),
  order: z.enum(['asc', 'desc']).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

export interface AuditRecordWire {
  seq: number;
  id: string;
  at: number;
  requester: string | null;
  agent: string | null;
  mode: 'user' | 'self' | 'direct';
  threadId: string | null;
  runId: string | null;
  action: string;
  resource: string;
  decision: 'allow' | 'deny' | 'error' | 'unknown';
  policies: string[];
  reason?: string;
  argsHash?: string;
  resultHash?: string;
  labels?: string[];
  callId?: string;
  /**
   * `data.query`: the SQL statement's shape (literals replaced by `?`), present only when policy
   * `recordStatement` allowed it for every label read; `statementHash` is always there.
   */
  statement?: string;
  statementHash?: string;
  prevHash: string;
  hash: string;
}

export type AuditVerifyResponse =
  | { ok: true; count: number; head: string }
  | { ok: false; count: number; brokenAt: number; reason: string };

// ---------------------------------------------------------------------------------------------
// WebSocket — GET /api/ws (auth by cookie or Authorization header, checked before the upgrade)

/** Frames the client sends. */
export const ClientFrameSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('subscribe'), threadId: EntityIdSchema }),
  z.strictObject({ type: z.literal('unsubscribe'), threadId: EntityIdSchema }),
  z.strictObject({ type: z.literal('ping') }),
]);
export type ClientFrame = z.infer<typeof ClientFrameSchema>;

/**
 * Frames the server sends, each filtered for the receiving reader at delivery time:
 * - `message-created`: a message the reader may see (or its placeholder). Also sent when a
 *   private answer is shared, with the same id: clients upsert by id.
 * - `run-updated`: status of a run in the thread (full trace only through `GET /api/runs/:id`).
 * - `answer-delta`: partial answer text, to the requester only, before the disclosure decision.
 * - `approval-requested`: to the requester only.
 * - `member-removed`: someone left; when it is the reader, the subscription is closed.
 * - `member-added`, `thread-updated`: membership and settings changes.
 * - `thread-added`, `thread-removed`: the reader's own thread list changed (issue 11.3). Unlike
 *   the frames above they reach every socket of the person concerned, whatever threads it
 *   follows, so a list updates live without a subscription. `thread-added` goes only to the added
 *   person and only while they are still a member when it is delivered; it carries the id alone,
 *   and the client reads the thread over HTTP (`GET /api/threads/:id`), authorized at read time.
 *   `thread-removed` goes only to the removed person, only while they are still not a member, and
 *   carries nothing but the id they already knew.
 * - `subscribed`, `unsubscribed`, `pong`: acknowledgements. `error`: a refused frame.
 */
export type ServerFrame =
  | { type: 'message-created'; threadId: string; message: MessageItemWire }
  | {
      type: 'run-updated';
      threadId: string;
      run: { id: string; requesterId: string; status: RunStatusWire; answerMessageId: string | null };
    }
  | { type: 'answer-delta'; threadId: string; runId: string; delta: string }
  | { type: 'approval-requested'; threadId: string; approval: ApprovalWire }
  | { type: 'member-removed'; threadId: string; userId: string }
  | { type: 'member-added'; threadId: string; userId: string }
  | { type: 'thread-updated'; threadId: string; thread: ThreadWire }
  | { type: 'thread-added'; threadId: string }
  | { type: 'thread-removed'; threadId: string }
  | { type: 'subscribed'; threadId: string }
  | { type: 'unsubscribed'; threadId: string; reason?: string }
  | { type: 'pong' }
  | { type: 'error'; threadId?: string; error: { code: string; message: string } };

// ---------------------------------------------------------------------------------------------
// Envelopes of list routes and the routes the web UI needs beyond SPEC §6. Lists are wrapped in
// an object so fields (paging cursors) can be added without breaking clients.

/** `GET /api/users` (authenticated): people, for member management. */
export interface UsersResponse {
  users: UserWire[];
}

/**
 * `GET /api/session/dev-users` (unauthenticated, only while dev login is on): the people one can
 * sign in as, for the sign-in screen. 404 `not_found` when dev login is off.
 */
export type DevUsersResponse = UsersResponse;

/** `GET /api/threads`: the threads the caller is a member of (without `members`). */
export interface ThreadsResponse {
  threads: ThreadWire[];
}

/** `GET /api/threads/:id/messages`: in `seq` order; hidden items are placeholders. */
export interface MessagesResponse {
  messages: MessageItemWire[];
}

/** `POST /api/messages/:id/share`: the answer, now visible to the thread. */
export interface ShareResponse {
  message: MessageWire;
}

/** `GET /api/threads/:id/approvals`: the caller's own pending approvals in that thread. */
export interface ApprovalsResponse {
  approvals: ApprovalWire[];
}

/** `POST /api/approvals/:id`: the decided approval. */
export interface ApprovalResponse {
  approval: ApprovalWire;
}

/** `GET /api/tools`. */
export interface ToolsResponse {
  tools: ToolWire[];
}

/** One MCP server that acts with each person's own account, and the caller's connection to it. */
export interface ConnectorWire {
  /** The server's configured name (the path segment of `/api/connectors/:server`). */
  server: string;
  /** Its RFC 8707 resource URI. */
  resource: string;
  connected: boolean;
  /** Epoch ms, when the stored token has an expiry. */
  expiresAt: number | null;
  /** When the caller last connected it, epoch ms. */
  updatedAt: number | null;
}

/** `GET /api/connectors`: the caller's own connections (never a token). */
export interface ConnectorsResponse {
  connectors: ConnectorWire[];
}

/** `GET /api/audit`: records in `seq` order (auditors: all; others: those they requested). */
export interface AuditResponse {
  records: AuditRecordWire[];
}

/**
 * `GET /api/audit/export?format=jsonl|otel&…filters`: NDJSON, one record (or OpenTelemetry span)
 * per line, in `seq` order: every record the caller may read that matches the same filters as
 * `GET /api/audit` (paging aside), so an export is what the page shows, in full.
 */
export const AuditExportQuery = AuditFilterSchema.extend({
  format: z.enum(['jsonl', 'otel']).default('jsonl'),
});

/**
 * `GET /api/audit/threads` (auditors only, else 403): id and current title of every thread the
 * log names, including threads the auditor is not a member of, to filter by and to show titles
 * instead of ids. Nobody else learns thread titles from the log.
 */
export interface AuditThreadsResponse {
  threads: Array<{ id: string; title: string }>;
}

/** Query parameters that would carry a credential in a URL; always refused (400 `bad_request`). */
export const URL_TOKEN_PARAMETERS = ['token', 'access_token'] as const;

/** Header carrying the session's CSRF token on cookie-authenticated writes. */
export const CSRF_HEADER = 'X-CSRF-Token';

/** Name of the HttpOnly session cookie. */
export const SESSION_COOKIE = 'behalf_session';

/**
 * Close codes of `GET /api/ws`. After any of them a client reconnects (with backoff) and
 * refetches messages over HTTP: delivery is at most once, reads are always authorized.
 * - `shutdown` (1001): the server is going away.
 * - `slowConsumer` (4008): the client fell too far behind (backpressure) and was dropped so it
 *   could not stall others.
 * - `sessionEnded` (4401): the session was logged out or expired.
 * - `tooManySubscriptions` is not a close: it is an `error` frame (`bad_request`).
 */
export const WS_CLOSE_CODES = { shutdown: 1001, resync: 1012, slowConsumer: 4008, sessionEnded: 4401 } as const;

// ---------------------------------------------------------------------------------------------
// The administrator's page (SPEC §12, issue 9 point 7) — GET /api/admin/access,
// GET /api/admin/workspace, POST /api/admin/decide. Only when a workspace is served (else 404);
// the workspace and the decisions are for members of its `admins` groups (else 403 `forbidden`).

/** `GET /api/admin/access`: whether the caller administers the workspace (the web app's nav link). */
export interface AdminAccessResponse {
  admin: boolean;
  /** The workspace's name. */
  workspace: string;
}

/** One table of a source, with the labels its rows and columns carry. */
export interface AdminTableWire {
  name: string;
  description: string | null;
  /** Labels of every row; `{column}` parameters take the row's value (`ward:{ward}`). */
  labels: string[];
  /** Extra labels of a result that reads these columns. */
  columns: Record<string, string[]>;
}

/** One SQL source: the tool the agent calls and how the requester reaches its RLS (never its URL). */
export interface AdminSourceWire {
  name: string;
  description: string | null;
  tool: string;
  identity: { convention: 'postgrest' | 'settings'; role: string };
  tables: AdminTableWire[];
}

/** Who is cleared for one concrete label (`readLabel`) and who may declassify it (`declassifyLabel`), by person id. */
export interface AdminClearanceWire {
  label: string;
  cleared: string[];
  stewards: string[];
}

/** One entry of the label catalogue. */
export interface AdminLabelWire {
  id: string;
  description: string | null;
  /** The catalogue's `readers` / `stewards` shorthands as written. */
  readers: string[];
  stewards: string[];
  /** `{param}` names of a parameterized label; empty otherwise. */
  parameters: string[];
  /**
   * Decided per person for the label itself, or for a parameterized label for each value its
   * audience's groups name (`ward-{ward}` and `ward-3` → `ward:3`); may be empty.
   */
  clearance: AdminClearanceWire[];
}

/** A provisioned agent identity. */
export interface AdminAgentWire {
  id: string;
  name: string;
  groups: string[];
  assigners: string[];
  provisionedBy: string;
  createdAt: number;
}

/** One Cedar policy (by id) or policy file (by name), read-only. */
export interface AdminPolicyWire {
  name: string;
  text: string;
}

/** One of `behalf doctor`'s findings, with its fix. */
export interface AdminFindingWire {
  severity: 'error' | 'warning';
  area: string;
  message: string;
  fix: string;
}

/** `GET /api/admin/workspace`. */
export interface AdminWorkspaceResponse {
  workspace: { name: string; description: string | null; admins: string[] };
  sources: AdminSourceWire[];
  labels: AdminLabelWire[];
  agents: AdminAgentWire[];
  policies: AdminPolicyWire[];
  findings: AdminFindingWire[];
}

/**
 * Every action of the policy model: what `behalf policy check`/`test` and the administrator's
 * "would this person be allowed…" form may ask about.
 */
export const POLICY_ACTIONS = [
  'readLabel',
  'declassifyLabel',
  'useTool',
  'useToolUnattended',
  'readDocument',
  'invokeAgent',
  'readThread',
  'postMessage',
  'manageThread',
  'shareAnswer',
  'readAuditLog',
  'provisionAgent',
  'assignAgent',
  'recordStatement',
  'administer',
] as const satisfies readonly PolicyAction[];

/**
 * `POST /api/admin/decide`: would `principal` (a person's id) be allowed `action` on `resource`?
 * The resource as `behalf policy check` takes it: `label:patient-record`, `tool:sql`,
 * `Tool::"sql"`, `thread:<id>`, `auditlog`, `workspace`, or a bare id of the action's type.
 */
export const AdminDecideBody = z.strictObject({
  principal: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[A-Za-z0-9][A-Za-z0-9._@-]*$/, 'a person id'),
  action: z.enum(POLICY_ACTIONS),
  resource: z.string().trim().min(1).max(300),
  /** Whether the agent would act on the person's behalf (delegation-aware policies). */
  viaAgent: z.boolean().optional(),
});

/** Response of `POST /api/admin/decide`: the decision of the policies in force. Audited as `admin.decide`. */
export interface AdminDecisionWire {
  principal: string;
  action: string;
  /** In Cedar's spelling: `Label::"patient-record"`. */
  resource: string;
  viaAgent: boolean;
  effect: 'allow' | 'deny';
  /** Ids of the policies that determined it (none: nothing allowed it). */
  policies: string[];
  /** Each deciding policy's `@reason`, in order; for a default deny, why. */
  reasons: string[];
}
