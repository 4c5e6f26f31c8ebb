import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../shared/clock.ts';
import { createSqliteStore, type SqliteStore } from '../storage/index.ts';
import { csrfTokenMatches, hashSessionToken, SessionService } from './session-service.ts';

describe('SessionService', () => {
  let store: SqliteStore;
  let clock: ManualClock;
  let sessions: SessionService;

  beforeEach(async () => {
    store = await createSqliteStore({ path: ':memory:' });
    await store.users.upsert({
      id: 'alice',
      name: 'Alice Chen',
      title: 'HR director',
      groups: ['hr'],
      managerId: null,
    });
    clock = new ManualClock();
    sessions = new SessionService({ sessions: store.sessions, users: store.users, clock, ttlMs: 60_000 });
  });
  afterEach(async () => {
    await store.close();
  });

  it('issues a random token and stores only its hash', async () => {
    const issued = await sessions.issue('alice');
    expect(issued.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(issued.session.tokenHash).toBe(hashSessionToken(issued.token));
    expect(issued.session.tokenHash).not.toContain(issued.token);
    expect(await store.sessions.get(issued.token)).toBeUndefined();
    expect(await sessions.authenticate(issued.token)).toMatchObject({ user: { id: 'alice' } });
  });

  it('issues a new token and CSRF token on every login', async () => {
    const first = await sessions.issue('alice');
    const second = await sessions.issue('alice');
    expect(second.token).not.toBe(first.token);
    expect(second.session.csrfToken).not.toBe(first.session.csrfToken);
  });

  it('refuses unknown users, unknown and malformed tokens', async () => {
    await expect(sessions.issue('mallory')).rejects.toMatchObject({ code: 'unauthenticated' });
    expect(await sessions.authenticate('A'.repeat(43))).toBeUndefined();
    expect(await sessions.authenticate('short')).toBeUndefined();
    expect(await sessions.authenticate('')).toBeUndefined();
  });

  it('expires sessions and forgets them', async () => {
    const issued = await sessions.issue('alice');
    clock.advance(60_000);
    expect(await sessions.authenticate(issued.token)).toBeUndefined();
    expect(await store.sessions.get(issued.session.tokenHash)).toBeUndefined();
  });

  it('revokes a session (logout)', async () => {
    const issued = await sessions.issue('alice');
    await sessions.revoke(issued.token);
    expect(await sessions.authenticate(issued.token)).toBeUndefined();
  });

  it('purges expired sessions', async () => {
    await sessions.issue('alice');
    clock.advance(120_000);
    const live = await sessions.issue('alice');
    expect(await sessions.purgeExpired()).toBe(1);
    expect(await sessions.authenticate(live.token)).toBeDefined();
  });

  it('refuses to sign in a deprovisioned person, and their existing sessions stop authenticating', async () => {
    const issued = await sessions.issue('alice');
    await store.users.update('alice', () => ({ active: false }));
    expect(await sessions.authenticate(issued.token)).toBeUndefined();
    expect(await store.sessions.get(issued.session.tokenHash)).toBeUndefined();
    await expect(sessions.issue('alice')).rejects.toMatchObject({ code: 'unauthenticated' });
    await store.users.update('alice', () => ({ active: true }));
    expect(await sessions.issue('alice')).toMatchObject({ user: { id: 'alice', active: true } });
  });

  it('ends every session of one person and returns their hashes (for the WebSockets opened with them)', async () => {
    const first = await sessions.issue('alice');
    const second = await sessions.issue('alice');
    const ended = await sessions.endAllFor('alice');
    expect(ended.sort()).toEqual([first.session.tokenHash, second.session.tokenHash].sort());
    expect(await sessions.authenticate(first.token)).toBeUndefined();
    expect(await sessions.authenticate(second.token)).toBeUndefined();
  });

  it('matches CSRF tokens exactly', async () => {
    const { session } = await sessions.issue('alice');
    expect(csrfTokenMatches(session, session.csrfToken)).toBe(true);
    expect(csrfTokenMatches(session, undefined)).toBe(false);
    expect(csrfTokenMatches(session, '')).toBe(false);
    expect(csrfTokenMatches(session, `${session.csrfToken}x`)).toBe(false);
  });
});
