import { randomUUID } from 'node:crypto';

/** Id source, injected so tests can make ids deterministic. */
export interface IdGenerator {
  /** A new unique id with a readable prefix, e.g. `run_…`, `msg_…`. */
  next(prefix: string): string;
}

export const randomIds: IdGenerator = {
  next: (prefix) => `${prefix}_${randomUUID().replaceAll('-', '')}`,
};

/** Deterministic ids for tests: `prefix_1`, `prefix_2`, ... */
export function sequentialIds(): IdGenerator {
  let counter = 0;
  return { next: (prefix) => `${prefix}_${++counter}` };
}
