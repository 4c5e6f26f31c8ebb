import type {
  ConnectorCredentialKey,
  ConnectorCredentialStore,
  StoredConnectorCredential,
} from '../../src/delegation/connector-credential-types.ts';

/** `ConnectorCredentialStore` in memory, for tests and single-process use (rows vanish with the process). */
export class MemoryConnectorCredentialStore implements ConnectorCredentialStore {
  readonly #rows = new Map<string, StoredConnectorCredential>();

  async get(key: ConnectorCredentialKey): Promise<StoredConnectorCredential | undefined> {
    const row = this.#rows.get(mapKey(key));
    return row && { ...row };
  }

  async put(row: StoredConnectorCredential): Promise<void> {
    const existing = this.#rows.get(mapKey(row));
    this.#rows.set(mapKey(row), { ...row, createdAt: existing?.createdAt ?? row.createdAt });
  }

  async delete(key: ConnectorCredentialKey): Promise<boolean> {
    return this.#rows.delete(mapKey(key));
  }
}

// JSON of the triple: unambiguous whatever characters the parts contain.
function mapKey(key: ConnectorCredentialKey): string {
  return JSON.stringify([key.tenant, key.user, key.resource]);
}
