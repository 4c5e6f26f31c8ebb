import { randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError } from '../protocol/errors.ts';
import type { Clock } from '../shared/clock.ts';
import { sha256Hex } from '../shared/hash.ts';
import { isActiveUser } from './active-users.ts';
import type { Session, SessionStore, User, UserId, UserStore } from './types.ts';

/** A session just issued: the raw token leaves the server once, in the login response. */
export interface IssuedSession {
  /** Bearer token and cookie value. Only its hash is stored. */
  token: string;
  session: Session;
  user: User;
}

/** A request's authenticated principal. */
export interface AuthenticatedSession {
  session: Session;
  user: User;
}

export interface SessionServiceOptions {
  sessions: SessionStore;
  users: UserStore;
  clock: Clock;
  /** Lifetime of a session in milliseconds (default 12 hours). */
  ttlMs?: number;
}

const DEFAULT_TTL_MS = 12 * 60 * 60 * 1000;

/**
 * Browser and API sessions. Tokens are 256 random bits; the store keeps only their SHA-256, so a
 * leaked database holds no usable credential. Every login issues a new token (no session
 * fixation: an incoming token is never adopted). The user is re-read on every request, so a
 * deleted or deprovisioned user's sessions stop working at once.
 */
export class SessionService {
  private readonly ttlMs: number;

  constructor(private readonly options: SessionServiceOptions) {
    this.ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
  }

  /** How long a new session lives, in milliseconds (the cookie's max age follows it). */
  get lifetimeMs(): number {
    return this.ttlMs;
  }

  /** Starts a session for an existing, active user; an unknown or deprovisioned user is `unauthenticated`. */
  async issue(userId: UserId): Promise<IssuedSession> {
    const user = await this.options.users.get(userId);
    if (!user || !isActiveUser(user)) throw new AppError('unauthenticated', 'Unknown user');
    const token = randomToken();
    const now = this.options.clock.now();
    const session: Session = {
      tokenHash: hashSessionToken(token),
      userId: user.id,
      csrfToken: randomToken(),
      createdAt: now,
      expiresAt: now + this.ttlMs,
    };
    await this.options.sessions.create(session);
    return { token, session, user };
  }

  /** The live session a token names, or undefined (unknown, expired, or its user is gone). */
  async authenticate(token: string): Promise<AuthenticatedSession | undefined> {
    if (!isWellFormedToken(token)) return undefined;
    const tokenHash = hashSessionToken(token);
    const session = await this.options.sessions.get(tokenHash);
    if (!session) return undefined;
    if (session.expiresAt <= this.options.clock.now()) {
      await this.options.sessions.delete(tokenHash);
      return undefined;
    }
    const user = await this.options.users.get(session.userId);
    if (user && isActiveUser(user)) return { session, user };
    // Deprovisioned (or gone) since: the session ends here too, whatever ended the others.
    if (user) await this.options.sessions.delete(tokenHash);
    return undefined;
  }

  /**
   * Ends every session of a person (deprovisioning, deletion). Returns the hashes of the sessions
   * it ended, so the edge can close the WebSockets opened with them (`RealtimeAcceptor.closeSession`).
   */
  endAllFor(userId: UserId): Promise<string[]> {
    return this.options.sessions.deleteForUser(userId);
  }

  /** Ends the session a token names (logout, or replacing a cookie at login). */
  async revoke(token: string): Promise<void> {
    if (isWellFormedToken(token)) await this.options.sessions.delete(hashSessionToken(token));
  }

  /** Ends the session stored under `tokenHash` (logout of the request's own session). */
  async end(tokenHash: string): Promise<void> {
    await this.options.sessions.delete(tokenHash);
  }

  /** Removes expired sessions; returns how many. */
  purgeExpired(): Promise<number> {
    return this.options.sessions.deleteExpired(this.options.clock.now());
  }
}

/** The stored form of a session token. */
export function hashSessionToken(token: string): string {
  return sha256Hex(token);
}

/** Constant-time comparison of a presented CSRF token with the session's. */
export function csrfTokenMatches(session: Session, presented: string | undefined): boolean {
  if (!presented) return false;
  const expected = Buffer.from(session.csrfToken);
  const actual = Buffer.from(presented);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

// 32 bytes in base64url are 43 characters; anything else cannot be ours and skips the store.
function isWellFormedToken(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}
