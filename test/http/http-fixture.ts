import type { Hono } from 'hono';
import { createHttpApp, type HttpAppOptions } from '../../src/http/create-http-app.ts';
import type { HttpEnv } from '../../src/http/types.ts';
import type { MessageItemWire, PostMessageResponse, RunWire, SessionResponse } from '../../src/protocol/wire.ts';
import { CSRF_HEADER, SESSION_COOKIE } from '../../src/protocol/wire.ts';
import { createTestApp, type TestApp, type TestAppOptions } from '../support/test-app.ts';

/** A signed-in person: their Bearer token, CSRF token and cookie header. */
export interface SignedIn {
  user: string;
  token: string;
  csrfToken: string;
  cookie: string;
}

/** How a test request authenticates. */
export type As = SignedIn | { cookie: SignedIn; csrf?: string | null } | undefined;

/** A whole app in-process behind `createHttpApp`, with helpers to call it as someone. */
export interface HttpFixture {
  app: TestApp;
  http: Hono<HttpEnv>;
  signIn(user: string): Promise<SignedIn>;
  /** A request as `as` (Bearer by default; `{ cookie }` for cookie + CSRF). JSON bodies are sent as JSON. */
  call(
    method: string,
    path: string,
    options?: { as?: As; body?: unknown; headers?: Record<string, string> },
  ): Promise<Response>;
  close(): Promise<void>;
}

/** `options` may depend on the app (for pieces built over its store or grant authority). */
export async function createHttpFixture(
  options: Partial<HttpAppOptions> | ((app: TestApp) => Partial<HttpAppOptions>) = {},
  appOptions: TestAppOptions = {},
): Promise<HttpFixture> {
  const app = await createTestApp(appOptions);
  const http = createHttpApp(app, { devLogin: true, ...(typeof options === 'function' ? options(app) : options) });
  const fixture: HttpFixture = {
    app,
    http,
    async signIn(user) {
      const response = await http.request('/api/session', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user }),
      });
      if (response.status !== 200) throw new Error(`sign in as ${user}: ${response.status}`);
      const body = (await response.json()) as SessionResponse;
      return { user, token: body.token, csrfToken: body.csrfToken, cookie: `${SESSION_COOKIE}=${body.token}` };
    },
    call(method, path, { as, body, headers = {} } = {}) {
      const all: Record<string, string> = { ...headers };
      if (as && 'token' in as) all.authorization = `Bearer ${as.token}`;
      else if (as && 'cookie' in as) {
        all.cookie = as.cookie.cookie;
        const csrf = as.csrf === undefined ? as.cookie.csrfToken : as.csrf;
        if (csrf !== null) all[CSRF_HEADER] = csrf;
      }
      const init: RequestInit = { method, headers: all };
      if (body !== undefined) {
        init.body = typeof body === 'string' ? body : JSON.stringify(body);
        all['content-type'] ??= 'application/json';
      }
      return Promise.resolve(http.request(path, init));
    },
    close: () => app.close(),
  };
  return fixture;
}

/** Waits until every run and audit write has finished. */
export async function settle(fixture: HttpFixture): Promise<void> {
  await fixture.app.drain();
}

/** Signs several people in at once, by id. */
export async function signInAll(fixture: HttpFixture, users: readonly string[]): Promise<Record<string, SignedIn>> {
  const signedIn = await Promise.all(users.map((user) => fixture.signIn(user)));
  return Object.fromEntries(signedIn.map((person) => [person.user, person]));
}

/** Posts a message addressed to the agent, waits for its run, and returns the run as the asker sees it. */
export async function askAgent(fixture: HttpFixture, as: SignedIn, threadId: string, text: string): Promise<RunWire> {
  const posted = (await (
    await fixture.call('POST', `/api/threads/${threadId}/messages`, { as, body: { text } })
  ).json()) as PostMessageResponse;
  await fixture.app.drain();
  return (await (await fixture.call('GET', `/api/runs/${posted.run?.id}`, { as })).json()) as RunWire;
}

/** One message of a thread as `as` may see it (or its placeholder); undefined when not listed. */
export async function messageAs(
  fixture: HttpFixture,
  as: SignedIn,
  threadId: string,
  messageId: string | null | undefined,
): Promise<MessageItemWire | undefined> {
  const items = (await (await fixture.call('GET', `/api/threads/${threadId}/messages`, { as })).json()) as {
    messages: MessageItemWire[];
  };
  return items.messages.find((message) => message.id === messageId);
}
