/**
 * The skipping policy for tests that need a real service (PostgreSQL, Redis, NATS, Chromium):
 * where the service is absent they are skipped with a visible notice, except when
 * `BEHALF_REQUIRE_SERVICES=1` (set by CI), where a missing service fails the test file.
 */
export interface RequireServiceOptions {
  /** What is skipped, for the notice: `'PostgreSQL store tests'`. Defaults to the service's tests. */
  skipping?: string;
  /** The environment to read `BEHALF_REQUIRE_SERVICES` from (`process.env` by default). */
  env?: Record<string, string | undefined>;
  /** Where the notice goes (`console.warn` by default, which vitest shows even for passing files). */
  warn?: (notice: string) => void;
}

/**
 * Probes a service once and says whether its tests should run. `probe` resolves when the
 * service answers and rejects (with the reason) when it does not. Use at the top of a test
 * file: `const postgres = await requireService('postgres', probe); describe.skipIf(!postgres)(…)`.
 *
 * @throws when the service is unavailable and `BEHALF_REQUIRE_SERVICES=1`: in CI a missing
 *   service is a failure, never a silent skip.
 */
export async function requireService(
  name: string,
  probe: () => Promise<unknown>,
  options: RequireServiceOptions = {},
): Promise<boolean> {
  const env = options.env ?? process.env;
  try {
    await probe();
    return true;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (env.BEHALF_REQUIRE_SERVICES === '1') {
      throw new Error(`${name} is required (BEHALF_REQUIRE_SERVICES=1) but unavailable: ${reason}`, { cause: error });
    }
    const skipping = options.skipping ?? `tests that need ${name}`;
    (options.warn ?? console.warn)(
      `⚠ SKIPPED ${skipping}: ${name} is unavailable (${reason}). Set BEHALF_REQUIRE_SERVICES=1 to make this a failure.`,
    );
    return false;
  }
}
