import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { type RunningServer, type ServerOptions, startServer } from '../../src/http/server.ts';
import type { PostMessageResponse } from '../../src/protocol/wire.ts';
import { createTestApp, type TestApp, type TestAppOptions } from '../support/test-app.ts';
import { ensureWebBuild } from '../support/web-build.ts';

/** Where every step's screenshot goes (git-ignored). */
export const SCREENSHOT_DIR = fileURLToPath(new URL('../../test-artifacts/e2e/', import.meta.url));

/** Per test: generous for a loaded CI machine; each step waits on a UI condition, never a fixed time. */
export const E2E_TEST_TIMEOUT_MS = 60_000;
/** Per file setup: may build the UI, then starts the app (a PGlite clone) and signs people in. */
export const E2E_SETUP_TIMEOUT_MS = 180_000;
/** Playwright's waits fail first, with the locator they waited for, well before the test times out. */
const ACTION_TIMEOUT_MS = 20_000;

/** A laptop screen. */
const VIEWPORT = { width: 1440, height: 900 };

/**
 * One person in their own browser context (own cookies, own WebSocket), with everything the
 * server sent them recorded so a test can prove what never reached the browser.
 */
export interface Person {
  userId: string;
  context: BrowserContext;
  page: Page;
  /** Every WebSocket frame received, as text, in order. */
  frames: string[];
  /** Every `/api/` response body received, as text. */
  responses: string[];
  /** Uncaught errors of the page's scripts. */
  pageErrors: string[];
  /** Content-Security-Policy violations the browser reported on the console (issue 7). */
  cspViolations: string[];
  /** Waits until every recorded response body has been read. */
  settled(): Promise<void>;
}

/** A served app (one per test file) and a browser to drive it. */
export interface E2eFixture {
  app: TestApp;
  server: RunningServer;
  /** A new person at the sign-in page. */
  open(label: string): Promise<Person>;
  /** A new person signed in as `userId` by clicking their card, landing on their first thread. */
  signIn(userId: string): Promise<Person>;
  /**
   * Signs `userIds` in at once (each in their own browser, at `viewport` if given) and waits
   * until every one of them shows `threadId` live; in the order given.
   */
  signInLive<const Ids extends readonly string[]>(
    threadId: string,
    userIds: Ids,
    viewport?: { width: number; height: number },
  ): Promise<{ -readonly [K in keyof Ids]: Person }>;
  /** Saves `test-artifacts/e2e/<prefix>-NN-<name>.png`, numbered in the order taken. */
  shot(page: Page, name: string, options?: { fullPage?: boolean }): Promise<string>;
  close(): Promise<void>;
}

/**
 * Builds the UI if needed, then serves a fresh in-memory Acme app (`createTestApp`) with it on a
 * free port (`startServer({ port: 0 })`). `prefix` names this file's screenshots; `serverOptions`
 * adds to the server's (pieces built over the app, such as connector accounts).
 */
export async function startE2e(
  browser: Browser,
  prefix: string,
  serverOptions: (app: TestApp) => Partial<ServerOptions> = () => ({}),
  /** The app's own options (a scripted model, extra tools); default the offline model on Acme. */
  appOptions: TestAppOptions = {},
): Promise<E2eFixture> {
  await ensureWebBuild();
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  // Screenshots are numbered per run: drop this file's previous ones so none is left over.
  for (const name of readdirSync(SCREENSHOT_DIR))
    if (name.startsWith(`${prefix}-`) && name.endsWith('.png')) rmSync(`${SCREENSHOT_DIR}${name}`);
  const app = await createTestApp(appOptions);
  const server = await startServer({ app, port: 0, agentInvocationsPerMinute: 1000, ...serverOptions(app) });
  const contexts: BrowserContext[] = [];
  let shots = 0;

  const open = async (label: string): Promise<Person> => {
    const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
    contexts.push(context);
    context.setDefaultTimeout(ACTION_TIMEOUT_MS);
    const page = await context.newPage();
    const person = record(label, context, page);
    await page.goto(server.url);
    await page.getByTestId('sign-in-page').waitFor();
    return person;
  };

  const signIn = async (userId: string): Promise<Person> => {
    const person = await open(userId);
    person.userId = userId;
    await person.page.locator(`[data-testid=sign-in-person][data-user-id=${userId}]`).click();
    await person.page.locator(`[data-testid=current-user][data-user-id=${userId}]`).waitFor();
    return person;
  };

  return {
    app,
    server,
    open,
    signIn,
    async signInLive(threadId, userIds, viewport) {
      const people = await Promise.all(userIds.map(signIn));
      if (viewport) await Promise.all(people.map((person) => person.page.setViewportSize(viewport)));
      await Promise.all(people.map((person) => waitForLiveThread(person, threadId)));
      return people as { -readonly [K in keyof typeof userIds]: Person };
    },
    async shot(page, name, options = {}) {
      shots += 1;
      const path = `${SCREENSHOT_DIR}${prefix}-${String(shots).padStart(2, '0')}-${name}.png`;
      await page.screenshot({ path, fullPage: options.fullPage ?? false });
      return path;
    },
    async close() {
      await Promise.all(contexts.map((context) => context.close().catch(() => {})));
      await server.close();
      await app.close();
    },
  };
}

/**
 * The usual frame of a browser test file: before all its tests, serves the app (`startE2e`,
 * with `options.server` added to the server's options) and runs `options.setup` (sign people
 * in, make activity); after them, closes the fixture and the browser. Call inside the file's
 * `describe.skipIf(!browser)(…)`; the fixture returned is filled in by the time a test runs.
 */
export function useE2e(
  browser: Browser | null,
  prefix: string,
  options: {
    server?: (app: TestApp) => Partial<ServerOptions>;
    app?: TestAppOptions;
    setup?: (f: E2eFixture) => Promise<void>;
  } = {},
): E2eFixture {
  const fixture = {} as E2eFixture;
  beforeAll(async () => {
    if (!browser) return;
    Object.assign(fixture, await startE2e(browser, prefix, options.server, options.app));
    await options.setup?.(fixture);
  }, E2E_SETUP_TIMEOUT_MS);
  afterAll(async () => {
    await fixture.close?.();
    await browser?.close();
  });
  return fixture;
}

function record(userId: string, context: BrowserContext, page: Page): Person {
  const pending = new Set<Promise<void>>();
  const person: Person = {
    userId,
    context,
    page,
    frames: [],
    responses: [],
    pageErrors: [],
    cspViolations: [],
    async settled() {
      while (pending.size > 0) await Promise.all(pending);
    },
  };
  page.on('websocket', (socket) => {
    socket.on('framereceived', ({ payload }) => {
      person.frames.push(typeof payload === 'string' ? payload : payload.toString('utf8'));
    });
  });
  page.on('response', (response) => {
    if (!new URL(response.url()).pathname.startsWith('/api/')) return;
    const read: Promise<void> = response
      .text()
      .then((body) => void person.responses.push(body))
      .catch(() => {})
      .finally(() => pending.delete(read));
    pending.add(read);
  });
  page.on('pageerror', (error) => person.pageErrors.push(error.message));
  // Chromium reports every blocked load, script or style as a console error naming the policy.
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) person.cspViolations.push(message.text());
  });
  return person;
}

/** How many `subscribed` frames for `threadId` the person has received. */
function subscriptions(person: Person, threadId: string): number {
  return person.frames.filter((frame) => frame.includes('"subscribed"') && frame.includes(`"${threadId}"`)).length;
}

/**
 * Waits until the person's thread view shows `threadId` and the server has confirmed its live
 * subscription (`subscribed` frame), so nothing posted afterwards can be missed.
 */
export async function waitForLiveThread(person: Person, threadId: string, atLeast = 1): Promise<void> {
  await person.page.locator(`[data-testid=thread-view][data-thread-id=${threadId}]`).waitFor();
  await waitUntil(() => subscriptions(person, threadId) >= atLeast, `${person.userId}'s subscription to ${threadId}`);
}

/** Reloads the page and waits until the thread is shown and subscribed again. */
export async function reloadThread(person: Person, threadId: string): Promise<void> {
  const before = subscriptions(person, threadId);
  await person.page.reload();
  await waitForLiveThread(person, threadId, before + 1);
}

/**
 * Types `text` into the composer and sends it with Enter, as a person would; returns the posted
 * message and the run it started (from the API response the UI received).
 */
export async function ask(person: Person, text: string): Promise<PostMessageResponse> {
  const composer = person.page.getByTestId('composer');
  await composer.fill(text);
  const [response] = await Promise.all([
    person.page.waitForResponse(
      (candidate) =>
        candidate.request().method() === 'POST' && /\/api\/threads\/[^/]+\/messages$/.test(candidate.url()),
    ),
    composer.press('Enter'),
  ]);
  expect(response.status()).toBe(201);
  return (await response.json()) as PostMessageResponse;
}

/** Whether any text the person's browser received or shows matches `pattern`. */
export async function everReceived(person: Person, pattern: RegExp): Promise<string[]> {
  await person.settled();
  const shown = await person.page.evaluate(() => document.body.textContent ?? '');
  return [...person.frames, ...person.responses, shown].filter((text) => pattern.test(text));
}

/** Waits until the run reaches `status` (server side) and returns its answer message id. */
export async function answerOf(app: TestApp, runId: string, status = 'done'): Promise<string> {
  await waitUntil(async () => (await app.store.runs.get(runId))?.status === status, `run ${runId} to be ${status}`);
  const answer = (await app.store.runs.get(runId))?.answerMessageId;
  if (!answer) throw new Error(`run ${runId} ended ${status} without an answer`);
  return answer;
}

/**
 * Polls `condition` (every 25 ms) until it holds; a condition wait, usable in hooks too (unlike
 * `expect.poll`). Throws naming `what` after `timeoutMs`.
 */
export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
