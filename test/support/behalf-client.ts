import type {
  MessageItemWire,
  MessagesResponse,
  PostMessageResponse,
  RunStatusWire,
  RunWire,
  SessionResponse,
} from '../../src/protocol/wire.ts';

/**
 * A minimal HTTP client of a running Behalf server (another process), for multi-process tests:
 * dev login, then JSON requests with `Authorization: Bearer`. Each call answers with the status
 * and the parsed body, whatever the status, so tests can assert on refusals too.
 */
export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
}

/** Signs in with dev login (`POST /api/session`) and returns the Bearer token. */
export async function signIn(baseUrl: string, user: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user }),
  });
  if (response.status !== 200) throw new Error(`sign in as ${user} at ${baseUrl}: ${response.status}`);
  return ((await response.json()) as SessionResponse).token;
}

/** One JSON request as the holder of `token`. */
export async function api<T = unknown>(
  baseUrl: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<ApiResponse<T>> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON (an HTML error page): the text itself.
  }
  return { status: response.status, body: parsed as T };
}

/** `api`, failing unless the status is 2xx. */
export async function ok<T = unknown>(
  baseUrl: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const response = await api<T>(baseUrl, token, method, path, body);
  if (response.status < 200 || response.status >= 300) {
    throw new Error(`${method} ${path} at ${baseUrl}: ${response.status} ${JSON.stringify(response.body)}`);
  }
  return response.body;
}

/** Posts `text` in `threadId` as the holder of `token` (failing unless accepted): the message and any run it started. */
export function postMessage(
  baseUrl: string,
  token: string,
  threadId: string,
  text: string,
): Promise<PostMessageResponse> {
  return ok<PostMessageResponse>(baseUrl, token, 'POST', `/api/threads/${threadId}/messages`, { text });
}

/** Polls `GET /api/runs/:id` until the run reaches one of `statuses`; returns it and when it was seen. */
export async function waitForRun(
  baseUrl: string,
  token: string,
  runId: string,
  statuses: readonly RunStatusWire[],
  options: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<{ run: RunWire; seenAt: number }> {
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  let last: unknown;
  for (;;) {
    const response = await api<RunWire>(baseUrl, token, 'GET', `/api/runs/${runId}`);
    last = response.body;
    if (response.status === 200 && statuses.includes(response.body.status)) {
      return { run: response.body, seenAt: performance.now() };
    }
    if (Date.now() > deadline) {
      throw new Error(`run ${runId} never reached ${statuses.join('|')} at ${baseUrl}; last: ${JSON.stringify(last)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 25));
  }
}

/** One message of a thread as the token's person sees it (a placeholder when hidden), or undefined. */
export async function messageAsSeen(
  baseUrl: string,
  token: string,
  threadId: string,
  id: string | null,
): Promise<MessageItemWire | undefined> {
  const { messages } = await ok<MessagesResponse>(baseUrl, token, 'GET', `/api/threads/${threadId}/messages`);
  return messages.find((message) => message.id === id);
}
