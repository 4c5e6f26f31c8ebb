import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type {
  ConnectorCredentialStore,
  StoredConnectorCredential,
} from '../../../src/delegation/connector-credential-types.ts';

/** Opens a fresh, empty store for one test, and how to dispose of it. */
export type OpenConnectorCredentialStore = () => Promise<{
  store: ConnectorCredentialStore;
  cleanup?: () => Promise<void>;
}>;

const T0 = Date.UTC(2026, 0, 1);

function aRow(
  user: string,
  resource: string,
  changes: Partial<StoredConnectorCredential> = {},
): StoredConnectorCredential {
  return {
    tenant: 'acme',
    user,
    resource,
    sealed: `v1.k.iv.${user}-${resource}.tag`,
    expiresAt: null,
    createdAt: T0,
    updatedAt: T0,
    ...changes,
  };
}

/**
 * The one suite every `ConnectorCredentialStore` adapter passes (memory, SQLite, PostgreSQL):
 * rows are found by their exact (tenant, user, resource) and by nothing wider (I9).
 */
export function describeConnectorCredentialStoreConformance(name: string, open: OpenConnectorCredentialStore): void {
  describe(`ConnectorCredentialStore conformance: ${name}`, () => {
    let store: ConnectorCredentialStore;
    let cleanup: (() => Promise<void>) | undefined;
    beforeEach(async () => {
      ({ store, cleanup } = await open());
    });
    afterEach(async () => {
      await cleanup?.();
    });

    it('round-trips a row by its exact key', async () => {
      const row = aRow('bob', 'https://crm.test/mcp', { expiresAt: T0 + 60_000 });
      await store.put(row);
      expect(await store.get({ tenant: 'acme', user: 'bob', resource: 'https://crm.test/mcp' })).toEqual(row);
    });

    it('I9: partitions by tenant, user and resource: no other key finds the row', async () => {
      await store.put(aRow('bob', 'https://crm.test/mcp'));
      const misses = [
        { tenant: 'other', user: 'bob', resource: 'https://crm.test/mcp' },
        { tenant: 'acme', user: 'alice', resource: 'https://crm.test/mcp' },
        { tenant: 'acme', user: 'bob', resource: 'https://crm.test/other' },
        { tenant: 'acme', user: 'BOB', resource: 'https://crm.test/mcp' },
        { tenant: 'acme', user: 'bo', resource: 'https://crm.test/mcp' },
        { tenant: 'acme', user: '%', resource: '%' },
        { tenant: 'acme', user: "bob' OR '1'='1", resource: 'https://crm.test/mcp' },
      ];
      for (const key of misses) expect(await store.get(key)).toBeUndefined();
    });

    it('keeps the rows of different users apart', async () => {
      await store.put(aRow('alice', 'https://crm.test/mcp', { sealed: 'alice-sealed' }));
      await store.put(aRow('bob', 'https://crm.test/mcp', { sealed: 'bob-sealed' }));
      expect((await store.get({ tenant: 'acme', user: 'alice', resource: 'https://crm.test/mcp' }))?.sealed).toBe(
        'alice-sealed',
      );
      expect((await store.get({ tenant: 'acme', user: 'bob', resource: 'https://crm.test/mcp' }))?.sealed).toBe(
        'bob-sealed',
      );
    });

    it('replaces a row on a second put, keeping its creation time', async () => {
      await store.put(aRow('bob', 'https://crm.test/mcp'));
      await store.put(
        aRow('bob', 'https://crm.test/mcp', { sealed: 'new', createdAt: T0 + 5, updatedAt: T0 + 5, expiresAt: T0 + 9 }),
      );
      expect(await store.get({ tenant: 'acme', user: 'bob', resource: 'https://crm.test/mcp' })).toEqual(
        aRow('bob', 'https://crm.test/mcp', { sealed: 'new', createdAt: T0, updatedAt: T0 + 5, expiresAt: T0 + 9 }),
      );
    });

    it('deletes only its own row, and reports whether there was one', async () => {
      await store.put(aRow('alice', 'https://crm.test/mcp'));
      await store.put(aRow('bob', 'https://crm.test/mcp'));
      expect(await store.delete({ tenant: 'acme', user: 'bob', resource: 'https://crm.test/mcp' })).toBe(true);
      expect(await store.delete({ tenant: 'acme', user: 'bob', resource: 'https://crm.test/mcp' })).toBe(false);
      expect(await store.get({ tenant: 'acme', user: 'alice', resource: 'https://crm.test/mcp' })).toBeDefined();
    });
  });
}
