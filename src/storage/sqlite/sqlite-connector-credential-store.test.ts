import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeConnectorCredentialStoreConformance } from '../../../test/support/conformance/connector-credentials-store-conformance.ts';
import { createTestAuthority, REQUEST } from '../../../test/support/delegation-fixture.ts';
import { createConnectorCredentials } from '../../delegation/connector-credentials.ts';
import { SqliteConnectorCredentialStore } from './sqlite-connector-credential-store.ts';
import { createSqliteStore, type SqliteStore } from './sqlite-store.ts';

describeConnectorCredentialStoreConformance('sqlite', async () => {
  const store = await createSqliteStore({ path: ':memory:' });
  return { store: new SqliteConnectorCredentialStore(store.db), cleanup: () => store.close() };
});

describe('connector credentials at rest in SQLite', () => {
  const CRM = 'https://crm.test/mcp';
  let sqlite: SqliteStore;
  beforeEach(async () => {
    sqlite = await createSqliteStore({ path: ':memory:' });
  });
  afterEach(async () => {
    await sqlite.close();
  });

  const setup = async () => {
    const { authority, clock } = await createTestAuthority();
    const credentials = createConnectorCredentials({
      store: new SqliteConnectorCredentialStore(sqlite.db),
      secret: randomBytes(32),
      grants: authority,
      clock,
    });
    await credentials.connect({ user: 'alice', resource: CRM }, { accessToken: 'alice-secret-token', expiresAt: null });
    await credentials.connect({ user: 'bob', resource: CRM }, { accessToken: 'bob-secret-token', expiresAt: null });
    const grantFor = (user: string) => authority.mint({ ...REQUEST, subject: user, audience: CRM });
    return { credentials, grantFor };
  };

  it('I9: the database file holds no token, in any column', async () => {
    await setup();
    const rows = sqlite.db.prepare('SELECT * FROM connector_credentials').all();
    expect(rows).toHaveLength(2);
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain('secret-token');
    expect(dump).not.toContain(Buffer.from('alice-secret-token').toString('base64url').slice(0, 16));
  });

  it("I9: alice's sealed token copied into bob's row fails to open for bob's grant", async () => {
    const { credentials, grantFor } = await setup();
    sqlite.db
      .prepare(
        `UPDATE connector_credentials SET sealed = (SELECT sealed FROM connector_credentials WHERE user_id = 'alice')
         WHERE user_id = 'bob'`,
      )
      .run();
    await expect(credentials.forGrant(grantFor('bob'))).rejects.toMatchObject({ code: 'internal' });
    expect(await credentials.forGrant(grantFor('alice'))).toMatchObject({ accessToken: 'alice-secret-token' });
  });

  it("I9: alice's row re-keyed to bob fails to open for bob's grant", async () => {
    const { credentials, grantFor } = await setup();
    sqlite.db.prepare("DELETE FROM connector_credentials WHERE user_id = 'bob'").run();
    sqlite.db.prepare("UPDATE connector_credentials SET user_id = 'bob' WHERE user_id = 'alice'").run();
    await expect(credentials.forGrant(grantFor('bob'))).rejects.toThrow(/moved from another user/);
  });
});
