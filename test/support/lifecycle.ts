import { afterAll, beforeAll } from 'vitest';

/** Something a test file starts once and must close: a server, a harness, an engine. */
export interface Closable {
  close(): unknown;
}

/**
 * The usual lifecycle of a shared fixture: `start` runs before all tests of the enclosing
 * `describe` (or file), and the fixture is closed after them (if it started). Returns a stand-in
 * that forwards to the fixture once it has started, so tests use it like the fixture itself:
 * `const harness = useFixture(startOAuthHarness); it('…', () => harness.exchange(…))`.
 * Using it before `start` has finished throws, naming the mistake.
 */
export function useFixture<T extends Closable>(start: () => Promise<T>, timeoutMs?: number): T {
  let current: T | undefined;
  beforeAll(async () => {
    current = await start();
  }, timeoutMs);
  afterAll(async () => {
    await current?.close();
  });
  return new Proxy({} as T, {
    get(_target, key) {
      if (!current) throw new Error(`fixture used before it started (reading ${String(key)})`);
      const value: unknown = Reflect.get(current, key, current);
      return typeof value === 'function' ? value.bind(current) : value;
    },
    set(_target, key, value) {
      if (!current) throw new Error(`fixture used before it started (setting ${String(key)})`);
      return Reflect.set(current, key, value, current);
    },
  });
}
