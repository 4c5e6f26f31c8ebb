/**
 * Keys of the PostgreSQL advisory locks Behalf takes, in the two-integer form
 * `pg_advisory_lock(namespace, key)`. That form never collides with single-bigint keys (Kysely's
 * own migration lock uses one), and the namespace keeps Behalf's keys apart from other
 * applications sharing the database. Advisory locks are per database, so two deployments on one
 * server never contend.
 */
export const ADVISORY_NAMESPACE = 0x42484c46; // "BHLF"

/** Held for the duration of each audit append: one writer at a time extends the chain. */
export const AUDIT_APPEND_LOCK = 1;

/** Held while migrating, so two processes starting at once migrate one after the other. */
export const MIGRATION_LOCK = 2;
