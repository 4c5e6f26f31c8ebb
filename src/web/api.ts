import type { GovernanceReport } from '../governance/types.ts';
import type { AnswerAudienceWire } from '../protocol/answer-wire.ts';
import type { MemoriesResponse, MemoryWire } from '../protocol/memory-wire.ts';
import type {
  AdminAccessResponse,
  AdminDecisionWire,
  AdminWorkspaceResponse,
  AgentIdentitiesResponse,
  AgentIdentityWire,
  ApprovalResponse,
  ApprovalsResponse,
  ApprovalWire,
  AuditRecordWire,
  AuditResponse,
  AuditThreadsResponse,
  AuditVerifyResponse,
  AuthConfigResponse,
  ConnectorsResponse,
  ConnectorWire,
  DevUsersResponse,
  LogoutResponse,
  MeResponse,
  MessageItemWire,
  MessagesResponse,
  MessageWire,
  PostMessageResponse,
  RunWire,
  SessionResponse,
  SharePreviewWire,
  ShareResponse,
  ThreadsResponse,
  ThreadWire,
  ToolsResponse,
  ToolWire,
  UsersResponse,
  UserWire,
} from '../protocol/wire.ts';

/** An HTTP failure with the server's stable error `code` (SPEC §6 error shape). */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The error's `data` (a 409 on share carries the new preview). */
    readonly data?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/**
 * Filters of the audit page, as the page's URL holds them; empty strings are left out of the
 * query. `from` and `to` are local calendar days (`2026-12-06`), both inclusive: `auditQuery`
 * turns them into the API's millisecond bounds (`to` exclusive), so a day means the reader's day.
 */
export interface AuditFilters {
  q?: string;
  from?: string;
  to?: string;
  action?: string;
  user?: string;
  thread?: string;
  run?: string;
  decision?: string;
}

/** The query string of `GET /api/audit` and `/api/audit/export` for the page's filters. */
export function auditQuery(filters: AuditFilters): URLSearchParams {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) {
    if (!value) continue;
    if (key === 'from' || key === 'to') {
      const day = localDayStart(value, key === 'to' ? 1 : 0);
      if (day !== null) query.set(key, String(day));
    } else query.set(key, value.trim());
  }
  return query;
}

/** Start of a local calendar day (`2026-12-06`), plus `offset` days; null for anything else. */
function localDayStart(day: string, offset: number): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return null;
  return new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + offset).getTime();
}

export interface ApiClientOptions {
  /** Called on any 401: the session is gone, so the UI returns to sign-in. */
  onUnauthenticated: () => void;
  fetch?: typeof fetch;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The web UI's HTTP client for the v1 API. Auth is the HttpOnly session cookie; the CSRF token
 * returned at sign-in (or by `GET /api/me`) goes out as `X-CSRF-Token` on every unsafe request.
 */
export class ApiClient {
  private csrfToken: string | null = null;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: ApiClientOptions) {
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
  }

  setCsrfToken(token: string | null): void {
    this.csrfToken = token;
  }

  /** One request; resolves with the parsed JSON body, rejects with `ApiError`. */
  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await this.send(method, path, body);
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** Which sign-in this server offers: dev login or an OpenID provider (no session needed). */
  async authConfig(): Promise<AuthConfigResponse> {
    return this.request<AuthConfigResponse>('GET', '/api/auth/config');
  }

  /** People listed on the sign-in screen (dev login; no session needed). */
  async devUsers(): Promise<UserWire[]> {
    return (await this.request<DevUsersResponse>('GET', '/api/session/dev-users')).users;
  }

  async signIn(userId: string): Promise<SessionResponse> {
    const session = await this.request<SessionResponse>('POST', '/api/session', { user: userId });
    this.csrfToken = session.csrfToken;
    return session;
  }

  async me(): Promise<MeResponse> {
    const me = await this.request<MeResponse>('GET', '/api/me');
    if (me.csrfToken) this.csrfToken = me.csrfToken;
    return me;
  }

  /** Ends the session; with OIDC, resolves with the provider's end-session URL to navigate to (else null). */
  async signOut(): Promise<string | null> {
    const response = await this.request<LogoutResponse | undefined>('DELETE', '/api/session');
    this.csrfToken = null;
    return response?.endSessionUrl ?? null;
  }

  async users(): Promise<UserWire[]> {
    return (await this.request<UsersResponse>('GET', '/api/users')).users;
  }

  /** Provisioned agent identities, each with whether the caller may assign it. */
  async agents(): Promise<AgentIdentityWire[]> {
    return (await this.request<AgentIdentitiesResponse>('GET', '/api/agents')).agents;
  }

  async threads(): Promise<ThreadWire[]> {
    return (await this.request<ThreadsResponse>('GET', '/api/threads')).threads;
  }

  async thread(id: string): Promise<ThreadWire> {
    return this.request('GET', `/api/threads/${enc(id)}`);
  }

  async createThread(title: string, members: string[]): Promise<ThreadWire> {
    return this.request('POST', '/api/threads', { title, members });
  }

  async updateThread(
    id: string,
    patch: { title?: string; mode?: 'user' | 'self'; agentId?: string | null },
  ): Promise<ThreadWire> {
    return this.request('PATCH', `/api/threads/${enc(id)}`, patch);
  }

  async addMember(threadId: string, userId: string): Promise<ThreadWire> {
    return this.request('POST', `/api/threads/${enc(threadId)}/members`, { user: userId });
  }

  async removeMember(threadId: string, userId: string): Promise<void> {
    await this.request('DELETE', `/api/threads/${enc(threadId)}/members/${enc(userId)}`);
  }

  /** The thread's memories the caller is cleared for (issue 10). */
  async memories(threadId: string): Promise<MemoryWire[]> {
    return (await this.request<MemoriesResponse>('GET', `/api/threads/${enc(threadId)}/memories`)).memories;
  }

  /** Deletes a memory remembered from the caller's own request. */
  async deleteMemory(threadId: string, memoryId: string): Promise<void> {
    await this.request('DELETE', `/api/threads/${enc(threadId)}/memories/${enc(memoryId)}`);
  }

  async messages(threadId: string): Promise<MessageItemWire[]> {
    const path = `/api/threads/${enc(threadId)}/messages?limit=500`;
    return (await this.request<MessagesResponse>('GET', path)).messages;
  }

  /** `audience` (when the message asks the agent): `me` (default) or `room` (issue 10 point 3). */
  async postMessage(threadId: string, text: string, audience?: AnswerAudienceWire): Promise<PostMessageResponse> {
    return this.request('POST', `/api/threads/${enc(threadId)}/messages`, { text, ...(audience ? { audience } : {}) });
  }

  async run(id: string): Promise<RunWire> {
    return this.request('GET', `/api/runs/${enc(id)}`);
  }

  async sharePreview(messageId: string): Promise<SharePreviewWire> {
    return this.request('GET', `/api/messages/${enc(messageId)}/share`);
  }

  /** Shares to the readers of the preview `version` named; a 409 `ApiError` carries the new preview. */
  async share(messageId: string, version: string): Promise<MessageWire> {
    return (await this.request<ShareResponse>('POST', `/api/messages/${enc(messageId)}/share`, { version })).message;
  }

  async approvals(threadId: string): Promise<ApprovalWire[]> {
    return (await this.request<ApprovalsResponse>('GET', `/api/threads/${enc(threadId)}/approvals`)).approvals;
  }

  async decideApproval(id: string, approve: boolean, always: boolean): Promise<ApprovalWire> {
    return (await this.request<ApprovalResponse>('POST', `/api/approvals/${enc(id)}`, { approve, always })).approval;
  }

  /** One page of matching records, newest first; `before` (a seq) continues with older ones. */
  async audit(filters: AuditFilters, page: { before?: number; limit?: number } = {}): Promise<AuditRecordWire[]> {
    const query = auditQuery(filters);
    query.set('order', 'desc');
    query.set('limit', String(page.limit ?? 200));
    if (page.before !== undefined) query.set('before', String(page.before));
    return (await this.request<AuditResponse>('GET', `/api/audit?${query}`)).records;
  }

  /** Titles of the threads the audit log names (auditors only; 403 for anyone else). */
  async auditThreads(): Promise<AuditThreadsResponse['threads']> {
    return (await this.request<AuditThreadsResponse>('GET', '/api/audit/threads')).threads;
  }

  async verifyAudit(): Promise<AuditVerifyResponse> {
    return this.request('GET', '/api/audit/verify');
  }

  /** The audit export as a file body (JSONL or OpenTelemetry-shaped spans) of the records the filters match. */
  async exportAudit(format: 'jsonl' | 'otel', filters: AuditFilters = {}): Promise<Blob> {
    const query = auditQuery(filters);
    query.set('format', format);
    return (await this.send('GET', `/api/audit/export?${query}`)).blob();
  }

  /** The SPEC §9 governance report. */
  /** The caller's own accounts on tool servers that act with them (never a token). */
  async connectors(): Promise<ConnectorWire[]> {
    return (await this.request<ConnectorsResponse>('GET', '/api/connectors')).connectors;
  }

  async connect(server: string, accessToken: string, expiresAt: number | null): Promise<ConnectorWire> {
    return this.request('PUT', `/api/connectors/${enc(server)}`, { accessToken, expiresAt });
  }

  async disconnect(server: string): Promise<void> {
    await this.request('DELETE', `/api/connectors/${enc(server)}`);
  }

  async governance(): Promise<GovernanceReport> {
    return this.request('GET', '/api/governance');
  }

  /** The tools the caller could ask the agent to use. */
  async tools(): Promise<ToolWire[]> {
    return (await this.request<ToolsResponse>('GET', '/api/tools')).tools;
  }

  /** Whether the caller administers the served workspace; 404 (an `ApiError`) when none is served. */
  async adminAccess(): Promise<AdminAccessResponse> {
    return this.request('GET', '/api/admin/access');
  }

  /** The administrator's page: sources, label catalogue, agents, policies, doctor's findings. */
  async adminWorkspace(): Promise<AdminWorkspaceResponse> {
    return this.request('GET', '/api/admin/workspace');
  }

  /** "Would this person be allowed…": one decision of the policies in force (audited). */
  async adminDecide(request: {
    principal: string;
    action: string;
    resource: string;
    viaAgent?: boolean;
  }): Promise<AdminDecisionWire> {
    return this.request('POST', '/api/admin/decide', request);
  }

  private async send(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    // `CSRF_HEADER` of wire.ts; imported by value it would pull zod into the bundle.
    if (UNSAFE.has(method) && this.csrfToken) headers['x-csrf-token'] = this.csrfToken;
    const response = await this.fetchImpl(path, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    if (response.ok) return response;
    const error = await errorOf(response);
    if (response.status === 401) this.options.onUnauthenticated();
    throw error;
  }
}

async function errorOf(response: Response): Promise<ApiError> {
  try {
    const body = (await response.json()) as {
      error?: { code?: string; message?: string; data?: Record<string, unknown> };
    };
    const code = body.error?.code ?? 'http_error';
    const message = body.error?.message ?? `${response.status} ${response.statusText}`;
    return new ApiError(response.status, code, message, body.error?.data);
  } catch {
    return new ApiError(response.status, 'http_error', `${response.status} ${response.statusText}`.trim());
  }
}

function enc(segment: string): string {
  return encodeURIComponent(segment);
}
