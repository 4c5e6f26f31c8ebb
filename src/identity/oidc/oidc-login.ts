import * as client from 'openid-client';
import type { AuditLog } from '../../audit/audit-log.ts';
import type { Clock } from '../../shared/clock.ts';
import { isActiveUser } from '../active-users.ts';
import type { User, UserStore } from '../types.ts';
import { createLoginTransactionSealer, type LoginTransactionSealer } from './login-transaction.ts';
import { mapOidcClaims, type OidcProfile } from './oidc-claims.ts';
import { loginFailure, type OidcLoginFailure } from './oidc-login-failure.ts';
import { OidcProviderClient } from './oidc-provider-client.ts';
import type { OidcSettings } from './oidc-settings.ts';

/** Audit action of every OIDC login attempt that reached the callback. */
export const OIDC_LOGIN_ACTION = 'auth.login';
/** Path of the route that starts a login (what `GET /api/auth/config` tells the web UI). */
export const OIDC_LOGIN_PATH = '/api/auth/oidc/login';
/** Path of the callback, the default redirect URI under the server's URL. */
export const OIDC_CALLBACK_PATH = '/api/auth/oidc/callback';

/** Dependencies of {@link OidcLogin}. */
export interface OidcLoginOptions {
  settings: OidcSettings;
  users: UserStore;
  audit: AuditLog;
  clock: Clock;
  /** Deployment secret sealing login transactions (`BEHALF_SECRET_KEY`); random per process when omitted. */
  secret?: Uint8Array;
  /** The server's public base URL, read when the settings name no redirect URI (it may be known only once listening). */
  publicUrl: () => string;
}

/** A login just started: where to send the browser, and the sealed transaction for its cookie. */
export interface StartedLogin {
  url: URL;
  sealedTransaction: string;
  maxAgeSeconds: number;
}

/** A login finished: the person, created or updated from the provider's claims. */
export type FinishedLogin = { ok: true; user: User; profile: OidcProfile } | OidcLoginFailure;

/**
 * OIDC login (issue 4): starts the authorization code + PKCE flow and finishes it into a Behalf
 * user. The provider is the source of truth for people's names and groups: each login writes
 * them to the user store (`upsert` bumps the user's version only when something changed, which
 * invalidates memoized policy decisions, I3). Every attempt that reaches the callback is audited
 * (`auth.login`, allow or deny with the detailed reason); a refused login never creates a session.
 */
export class OidcLogin {
  readonly provider: OidcProviderClient;
  private readonly sealer: LoginTransactionSealer;

  constructor(private readonly options: OidcLoginOptions) {
    this.provider = new OidcProviderClient(options.settings);
    this.sealer = createLoginTransactionSealer(options.secret);
  }

  get issuer(): string {
    return this.options.settings.issuer;
  }

  /** Starts a login with fresh `state`, `nonce` and PKCE verifier. Throws when the provider cannot be discovered. */
  async begin(): Promise<StartedLogin> {
    const transaction = {
      state: client.randomState(),
      nonce: client.randomNonce(),
      codeVerifier: client.randomPKCECodeVerifier(),
      redirectUri: this.redirectUri(),
      createdAt: this.options.clock.now(),
    };
    const url = await this.provider.authorizationUrl(transaction);
    return {
      url,
      sealedTransaction: this.sealer.seal(transaction),
      maxAgeSeconds: Math.floor(this.sealer.maxAgeMs / 1000),
    };
  }

  /** Finishes a login from the callback's query string and the transaction cookie. */
  async finish(callbackQuery: string, sealedTransaction: string | undefined): Promise<FinishedLogin> {
    const transaction = sealedTransaction && this.sealer.open(sealedTransaction, this.options.clock.now());
    if (!transaction) {
      return this.refuse(
        loginFailure('login_expired', 'no valid login transaction cookie (expired, altered or absent)'),
      );
    }
    const outcome = await this.provider.exchange(callbackQuery, transaction);
    if (!outcome.ok) return this.refuse(outcome);
    const mapping = mapOidcClaims(outcome.claims, this.options.settings);
    if (!mapping.ok) return this.refuse(loginFailure('invalid_claims', mapping.message));
    const { profile } = mapping;
    // Deprovisioned by the identity provider's SCIM client (or deleted): the provider may still
    // sign them in, but they are gone here. Nothing about them is written.
    const known = await this.options.users.get(profile.id);
    if (known && !isActiveUser(known)) {
      return this.refuse(
        loginFailure(
          'invalid_claims',
          `${profile.id} is ${known.deletedAt !== null ? 'deleted' : 'deactivated'} (deprovisioned); sign-in refused`,
        ),
      );
    }
    const { user, change } = await this.syncUser(profile);
    await this.auditLogin(
      user.id,
      'allow',
      profile.groupsClaimPresent
        ? change
        : `${change}; the ID token had no "${this.options.settings.groupsClaim}" claim, so no groups`,
    );
    return { ok: true, user, profile };
  }

  /** The provider's end-session URL (RP-initiated logout), or null when it has none. */
  endSessionUrl(): Promise<string | null> {
    const { settings } = this.options;
    const postLogout = settings.postLogoutRedirectUri ?? `${new URL(this.redirectUri()).origin}/`;
    return this.provider.endSessionUrl(postLogout);
  }

  private redirectUri(): string {
    return this.options.settings.redirectUri ?? `${this.options.publicUrl().replace(/\/+$/, '')}${OIDC_CALLBACK_PATH}`;
  }

  // Title and manager are not the provider's to say; they are kept. Group order is kept when the
  // set is unchanged, so an identical login does not bump the version.
  private async syncUser(profile: OidcProfile): Promise<{ user: User; change: string }> {
    const existing = await this.options.users.get(profile.id);
    const sameGroups =
      existing !== undefined &&
      existing.groups.length === profile.groups.length &&
      profile.groups.every((group) => existing.groups.includes(group));
    const user = await this.options.users.upsert({
      id: profile.id,
      name: profile.name,
      title: existing?.title ?? '',
      groups: sameGroups ? existing.groups : profile.groups,
      managerId: existing?.managerId ?? null,
    });
    if (!existing) return { user, change: `new user with groups [${profile.groups.join(', ')}]` };
    if (sameGroups) return { user, change: 'groups unchanged' };
    const added = profile.groups.filter((group) => !existing.groups.includes(group));
    const removed = existing.groups.filter((group) => !profile.groups.includes(group));
    return { user, change: `groups changed: added [${added.join(', ')}], removed [${removed.join(', ')}]` };
  }

  /** The one `auth.login` record of an attempt (I6): allowed for the person, or refused. */
  private async auditLogin(requester: string | null, decision: 'allow' | 'deny', reason: string): Promise<void> {
    await this.options.audit.append({
      requester,
      agent: null,
      mode: 'direct',
      threadId: null,
      runId: null,
      action: OIDC_LOGIN_ACTION,
      resource: `oidc:${this.issuer}`,
      decision,
      policies: [],
      reason,
    });
  }

  private async refuse(failure: OidcLoginFailure): Promise<OidcLoginFailure> {
    await this.auditLogin(null, 'deny', `${failure.code}: ${failure.reason}`);
    return failure;
  }
}
