import { fileURLToPath } from 'node:url';
import type { UserInput } from '../identity/types.ts';
import { loadWorkspace } from '../workspace/load-workspace.ts';
import { userFromPerson } from '../workspace/seed-workspace.ts';

/**
 * Kept only because `src/bench` imports it, and `src/bench` is being reworked separately (its
 * owner moves the example data out, issue 9): the people and first thread of `examples/acme`,
 * read from its behalf.yaml. Delete it with that change; tests use `test/support/acme/`.
 */
export const ACME_WORKSPACE_DIR = fileURLToPath(new URL('../../examples/acme/', import.meta.url));

const { config } = await loadWorkspace(ACME_WORKSPACE_DIR);
const thread = config.threads[0];
if (!thread) throw new Error('examples/acme seeds no thread');

/** The example's people, as the user directory holds them. */
export const ACME_USERS: readonly UserInput[] = config.people.map(userFromPerson);

/** The example's seeded thread. */
export const ACME_THREAD = { id: thread.id, title: thread.title, ownerId: thread.owner, members: thread.members };
