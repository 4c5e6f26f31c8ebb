import type { UserId } from '../identity/types.ts';
import { AppError } from '../protocol/errors.ts';
import type { Clock } from '../shared/clock.ts';
import type { ConnectorCredentialKey, ConnectorCredentialStore } from './connector-credential-types.ts';
import { createConnectorCipher } from './connector-credentials-cipher.ts';
import type { DelegationGrant } from './grant.ts';

/** A person's own token for a connector server (the OAuth access token it expects). */
export interface ConnectorToken {
  accessToken: string;
  /** Epoch ms; an expired token is treated as absent (the person reconnects). */
  expiresAt: number | null;
}

/** Whose token, for which server: the signed-in person connecting their own account. */
export interface ConnectorCredentialOwner {
  user: UserId;
  /** The server's resource URI (its configured `resource`). */
  resource: string;
}

/**
 * Per-user connector credentials (SPEC I9), encrypted at rest and partitioned by (tenant, user,
 * resource).
 *
 * Reading is possible only through a delegation grant: `forGrant` takes the user from the
 * grant's `sub` and the server from its `aud`, and accepts only a genuine grant this
 * deployment's authority minted (checked by identity). No method reads a token by user id, so a run can
 * obtain only the token of the person it acts for, for the one server its grant is for.
 *
 * Writing (`connect`, `disconnect`) names the user: it is the person's own action, and the
 * caller (an OAuth callback route) must take the user from the authenticated session.
 */
export interface ConnectorCredentials {
  readonly tenant: string;
  /**
   * The token of the grant's subject for the grant's audience, or undefined when they have not
   * connected that server (or their token expired). Throws `AppError` `forbidden` for a grant
   * that is not genuine, has expired, or is self-authorized (an agent has no personal
   * credentials), and `internal` when the stored value cannot be opened (wrong key, tampering).
   */
  forGrant(grant: DelegationGrant): Promise<ConnectorToken | undefined>;
  /** Stores (or replaces) the person's token for a server. */
  connect(owner: ConnectorCredentialOwner, token: ConnectorToken): Promise<void>;
  /** Forgets the person's token for a server; false when there was none. */
  disconnect(owner: ConnectorCredentialOwner): Promise<boolean>;
  /**
   * Whether the person has a live token for a server, for their own settings page: never the
   * token, and only from the row's clear metadata (nothing is decrypted).
   */
  status(owner: ConnectorCredentialOwner): Promise<ConnectorStatus>;
}

/** What a person may know of their own connection to a server. */
export interface ConnectorStatus {
  connected: boolean;
  /** Epoch ms, when the token has an expiry. */
  expiresAt: number | null;
  /** When the person last connected, epoch ms. */
  updatedAt: number | null;
}

/** What `createConnectorCredentials` needs. */
export interface ConnectorCredentialsOptions {
  store: ConnectorCredentialStore;
  /** The 32-byte deployment secret (`loadSecretKey`). */
  secret: Uint8Array;
  /** The grant authority, for its identity check of grants. */
  grants: { isGenuine(value: unknown): value is DelegationGrant };
  clock: Clock;
  /** This deployment's tenant. Default `default`. */
  tenant?: string;
}

/** Builds the service over a store; see `ConnectorCredentials`. */
export function createConnectorCredentials(options: ConnectorCredentialsOptions): ConnectorCredentials {
  const { store, grants, clock } = options;
  const tenant = options.tenant ?? 'default';
  const cipher = createConnectorCipher(options.secret);
  const keyOf = (owner: ConnectorCredentialOwner): ConnectorCredentialKey => {
    if (!owner.user || !owner.resource)
      throw new AppError('bad_request', 'a connector credential needs a user and a resource');
    return { tenant, user: owner.user, resource: owner.resource };
  };

  return {
    tenant,

    async forGrant(grant) {
      if (!grants.isGenuine(grant)) {
        throw new AppError('forbidden', 'Connector credentials are released only for a genuine delegation grant.');
      }
      const { claims } = grant;
      if (claims.mode !== 'user') {
        throw new AppError('forbidden', 'A self-authorized run has no personal connector credentials.');
      }
      if (clock.now() >= claims.exp * 1000) throw new AppError('forbidden', 'The delegation grant has expired.');
      const key: ConnectorCredentialKey = { tenant, user: claims.sub, resource: claims.aud };
      const row = await store.get(key);
      if (!row) return undefined;
      // Defense in depth against an adapter returning the wrong row; the cipher's AAD catches it too.
      if (row.tenant !== key.tenant || row.user !== key.user || row.resource !== key.resource) {
        throw new AppError('internal', 'The credential store returned a row of another partition.');
      }
      const token = parseToken(cipher.open(row.sealed, key));
      if (token.expiresAt !== null && clock.now() >= token.expiresAt) return undefined;
      return token;
    },

    async connect(owner, token) {
      if (typeof token.accessToken !== 'string' || token.accessToken.length === 0) {
        throw new AppError('bad_request', 'a connector token needs an access token');
      }
      const key = keyOf(owner);
      const now = clock.now();
      const sealed = cipher.seal(JSON.stringify({ accessToken: token.accessToken, expiresAt: token.expiresAt }), key);
      await store.put({ ...key, sealed, expiresAt: token.expiresAt, createdAt: now, updatedAt: now });
    },

    disconnect: (owner) => store.delete(keyOf(owner)),

    async status(owner) {
      const row = await store.get(keyOf(owner));
      if (!row) return { connected: false, expiresAt: null, updatedAt: null };
      const live = row.expiresAt === null || clock.now() < row.expiresAt;
      return { connected: live, expiresAt: row.expiresAt, updatedAt: row.updatedAt };
    },
  };
}

function parseToken(plaintext: string): ConnectorToken {
  const value = JSON.parse(plaintext) as { accessToken?: unknown; expiresAt?: unknown };
  if (typeof value.accessToken !== 'string' || (value.expiresAt !== null && typeof value.expiresAt !== 'number')) {
    throw new AppError('internal', 'A stored connector credential has an unknown shape.');
  }
  return { accessToken: value.accessToken, expiresAt: value.expiresAt };
}
