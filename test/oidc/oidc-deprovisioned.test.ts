import { describe, expect, it } from 'vitest';
import { useFixture } from '../support/lifecycle.ts';
import { startOidcHarness } from './oidc-fixture.ts';

// Issue 9 point 2: a person the identity provider deprovisioned through SCIM is gone here, even
// if the provider still signs them in (its SCIM client and its login are configured apart).
describe('OIDC login of a deprovisioned person', () => {
  const harness = useFixture(() => startOidcHarness());

  it('is refused, audited, and changes nothing about the person', async () => {
    harness.provider.accounts.set('erin', { name: 'Erin W. (IdP)', groups: ['sales', 'admins'] });
    const deactivated = await harness.app.store.users.update('erin', () => ({ active: false }));
    const { browser, finalUrl } = await harness.login('erin');
    expect(new URL(finalUrl).search).toBe('?login_error=invalid_claims');
    expect(await harness.me(browser)).toBeNull();
    // Neither the name nor the groups the provider sent were written (no version bump).
    expect(await harness.app.store.users.get('erin')).toEqual(deactivated);
    const [record] = (await harness.loginRecords()).slice(-1);
    expect(record).toMatchObject({ decision: 'deny', requester: null, action: 'auth.login' });
    expect(record?.reason).toMatch(/erin is deactivated \(deprovisioned\)/);

    await harness.app.store.users.update('erin', () => ({ active: true }));
    const again = await harness.login('erin');
    expect((await harness.me(again.browser))?.user).toMatchObject({ id: 'erin', groups: ['admins', 'sales'] });
  });
});
