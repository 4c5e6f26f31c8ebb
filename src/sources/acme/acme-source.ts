import { createFairUse, type FairUseSettings, PGLITE_FAIR_USE } from '../fair-use.ts';
import { createPgliteSource, type PgliteSource } from '../pglite-source.ts';
import { RowSecurityRulesCache } from '../row-security-rules.ts';
import type { SqlDataSource } from '../types.ts';
import { assertRowSecurity } from '../verify-row-security.ts';
import { ACME_TABLE_LABELS } from './labels.ts';
import { ACME_ACCESS, ACME_ROW_SECURITY } from './schema.ts';
import { loadAcme } from './seed.ts';

/** The embedded Acme data source (SPEC §4): PGlite with Acme's schema, policies and seed. */
export interface AcmeSource extends SqlDataSource, PgliteSource {}

/** Where an Acme source's data lives. */
export interface AcmeSourceOptions {
  /** Persistent data directory: seeded on first use, reopened (fast) afterwards. Omitted: in memory. */
  dataDir?: string;
  /** Start from a data-directory tarball that already holds Acme (see `acmeSourceTemplate`). */
  snapshot?: Uint8Array;
  /** A compiled `pglite.wasm` shared between sources. */
  wasmModule?: WebAssembly.Module;
  /** Cost budget, time limit and fair queue; each omitted field takes `PGLITE_FAIR_USE`'s. */
  fairUse?: Partial<FairUseSettings>;
}

/**
 * Opens the Acme source, creating and seeding it when the database does not hold it yet
 * (idempotent: a version row), and checks its hardening before use (`assertRowSecurity`). A fresh in-memory source takes 2–3 s (initdb); reopening a data
 * directory ~0.2 s; for tests, clone a template instead.
 */
export async function createAcmeSource(options: AcmeSourceOptions = {}): Promise<AcmeSource> {
  const { fairUse, ...pglite } = options;
  const source = await createPgliteSource({
    ...pglite,
    setup: async (target) => {
      await loadAcme(target);
      await assertRowSecurity(target, ACME_ROW_SECURITY);
    },
  });
  return {
    access: ACME_ACCESS,
    tableLabels: ACME_TABLE_LABELS,
    fairUse: createFairUse({ ...PGLITE_FAIR_USE, ...fairUse }),
    rowSecurityRules: new RowSecurityRulesCache(),
    query: source.query.bind(source),
    transaction: source.transaction.bind(source),
    exec: source.exec.bind(source),
    snapshot: source.snapshot.bind(source),
    close: source.close.bind(source),
    get restarts() {
      return source.restarts;
    },
  };
}
