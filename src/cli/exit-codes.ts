/**
 * Exit codes scripts can trust (documented in README):
 * 0 success · 1 a check answered "no" (broken audit chain, a denied decision, a bench that
 * failed) · 2 usage error (bad flag or argument) · 3 could not run (invalid policy, database
 * unreachable, bad configuration).
 */
export const EXIT = { ok: 0, negative: 1, usage: 2, failure: 3 } as const;
