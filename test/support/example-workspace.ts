import { fileURLToPath } from 'node:url';

/**
 * The default example workspace (`examples/acme`) that the unit tests run against, under neutral
 * names: tests in `src/` import it from here, so production folders name no example company. Its
 * people, labels, documents and seeded thread, a policy engine and resolver over them, canned
 * tools answering from its data, and its SQL source on every engine. The helpers behind these
 * names live in `test/support/acme/` and `test/support/conformance/sources/acme-fixtures.ts`.
 *
 * The literals below are written out rather than read from the workspace, so tests that load it
 * still check its contents against an independent expectation.
 */

/** The example workspace's folder, relative to the repository root (the working directory of the tests). */
export const EXAMPLE_WORKSPACE_PATH = 'examples/acme';

/** The example workspace's folder, absolute (with a trailing slash). */
export const EXAMPLE_WORKSPACE_DIR = fileURLToPath(new URL(`../../${EXAMPLE_WORKSPACE_PATH}/`, import.meta.url));

/** Its documents folder, absolute. */
export const EXAMPLE_DOCUMENTS_DIR = fileURLToPath(
  new URL(`../../${EXAMPLE_WORKSPACE_PATH}/documents`, import.meta.url),
);

/** The `name:` its `behalf.yaml` declares, as commands print it. */
export const EXAMPLE_WORKSPACE_NAME = 'Acme';

/** The name of the SQL source it declares. */
export const EXAMPLE_SOURCE_NAME = 'acme';

export {
  ACME_AGENT_IDENTITIES as EXAMPLE_AGENT_IDENTITIES,
  ACME_DOCUMENTS as EXAMPLE_DOCUMENTS,
  ACME_LABELS as EXAMPLE_LABELS,
  /** The seeded thread "Q3 planning": owner alice, members bob and carol, and the agent. */
  ACME_THREAD as EXAMPLE_THREAD,
  /** Its eight people and their groups. */
  ACME_USERS as EXAMPLE_USERS,
  VENDOR_FAQ_INJECTION,
} from './acme/demo.ts';
export {
  describeOnEveryAcmeSource as describeOnEveryExampleSource,
  openAdminSession,
} from './conformance/sources/acme-fixtures.ts';
export { fakeAcmeTools as fakeExampleTools } from './models/test-tools.ts';
export {
  createAcmeEntityResolver as createExampleEntityResolver,
  createAcmeTestEngine as createExampleTestEngine,
} from './policy-testing.ts';
