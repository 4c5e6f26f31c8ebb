import { describe, expect, it } from 'vitest';
import type { ConnectorCredentials } from '../../src/delegation/connector-credentials.ts';
import { requireChromium } from '../support/browser.ts';
import { testConnectorCredentials } from '../support/connector-credentials.ts';
import { E2E_TEST_TIMEOUT_MS, type Person, useE2e } from './e2e-fixture.ts';

/**
 * The Connections page: a person connects their own account on a `per-user-oauth` MCP server,
 * sees it live, and removes it; another person sees only their own state, and the token never
 * comes back from the server.
 */
const browser = await requireChromium('browser end-to-end tests (connections)');

const CRM = { name: 'crm', resource: 'https://crm.example.com/mcp' };
const TOKEN = 'alice-crm-pat_8c1e.Qw';

describe.skipIf(!browser)('connecting a personal account in a real browser', { timeout: E2E_TEST_TIMEOUT_MS }, () => {
  let credentials: ConnectorCredentials;
  let alice: Person;
  let bob: Person;

  const f = useE2e(browser, 'connections', {
    server: (app) => {
      credentials = testConnectorCredentials(app);
      return { connectors: { credentials, servers: [CRM] } };
    },
    setup: async ({ signIn }) => {
      [alice, bob] = await Promise.all([signIn('alice'), signIn('bob')]);
    },
  });

  const card = (person: Person) => person.page.locator(`[data-testid=connector][data-server=${CRM.name}]`);

  it('alice connects her account from the Connections page; it shows as connected', async () => {
    await alice.page.getByTestId('nav-connections').click();
    await card(alice).waitFor();
    expect(await card(alice).getAttribute('data-connected')).toBe('false');
    await card(alice).getByLabel('Your access token').fill(TOKEN);
    await card(alice).getByRole('button', { name: 'Connect' }).click();
    await alice.page.locator(`[data-testid=connector][data-server=${CRM.name}][data-connected=true]`).waitFor();
    expect(await card(alice).getByTestId('connector-state').textContent()).toBe('Connected');
    await f.shot(alice.page, 'alice-connected');
    // The input was cleared, and no response ever carried the token back.
    expect(await card(alice).getByLabel('Replace your access token').inputValue()).toBe('');
    await alice.settled();
    expect(alice.responses.some((body) => body.includes(TOKEN))).toBe(false);
  });

  it("bob sees his own state, not alice's", async () => {
    await bob.page.getByTestId('nav-connections').click();
    await card(bob).waitFor();
    expect(await card(bob).getAttribute('data-connected')).toBe('false');
    expect(await card(bob).getByTestId('connector-state').textContent()).toBe('Not connected');
  });

  it('alice disconnects; the stored token is gone', async () => {
    await card(alice).getByRole('button', { name: 'Disconnect' }).click();
    await alice.page.locator(`[data-testid=connector][data-server=${CRM.name}][data-connected=false]`).waitFor();
    expect(await credentials.status({ user: 'alice', resource: CRM.resource })).toMatchObject({ connected: false });
    expect(alice.pageErrors).toEqual([]);
    expect(bob.pageErrors).toEqual([]);
  });
});
