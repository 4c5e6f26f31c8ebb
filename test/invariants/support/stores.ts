import type { PostgresStore, SqliteStore } from '../../../src/storage/index.ts';
import { postgresTestUrl, requirePostgres } from '../../support/postgres.ts';
import type { TestApp, TestAppOptions, TestStoreKind } from '../../support/test-app.ts';

// The stores every invariant suite runs on (STYLE: one suite against every implementation of a port).

/** An app of the invariant suites: on either store, told apart by `app.store.kind`. */
export type InvariantApp = TestApp<SqliteStore | PostgresStore>;

/**
 * One store a suite runs on, as a row of `describe.each`: its kind (the title's `%s`) and the
 * options that select it, to spread into `createTestApp`'s: `createTestApp({ ...options, model })`.
 */
export type StoreUnderTest = readonly [
  kind: TestStoreKind,
  options: Pick<TestAppOptions<TestStoreKind>, 'store' | 'postgresUrl'>,
];

/**
 * The stores `suite` runs on: `describe.each(await storesUnderTest('I1'))('I1 on %s', (_kind,
 * options) => …)`. SQLite always, and PostgreSQL (each app in a database of its own on the test
 * server, `BEHALF_TEST_DATABASE_URL`) when the server answers. Without one, the PostgreSQL half
 * is skipped with a visible notice, except under `BEHALF_REQUIRE_SERVICES=1` (CI), where the
 * file fails instead.
 */
export async function storesUnderTest(suite: string): Promise<StoreUnderTest[]> {
  const stores: StoreUnderTest[] = [['sqlite', { store: 'sqlite' }]];
  if (await requirePostgres(`${suite} on PostgreSQL`)) {
    stores.push(['postgres', { store: 'postgres', postgresUrl: postgresTestUrl() }]);
  }
  return stores;
}
