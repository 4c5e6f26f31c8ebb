import type { UserId } from '../identity/types.ts';

/**
 * Claims of a delegation grant (SPEC I2, RFC 8693 shape): `sub` is the human requester (or the
 * agent itself in self-authorized mode), `act.sub` the acting agent, `aud` the one tool or
 * resource the grant is for.
 */
export interface GrantClaims {
  iss: string;
  sub: string;
  act: { sub: string };
  aud: string;
  scope: string;
  thread: string;
  run: string;
  jti: string;
  iat: number;
  nbf: number;
  exp: number;
  /** `user` when `sub` is a human, `self` when `sub` is the agent. */
  mode: 'user' | 'self';
  /** In self mode: the human who asked (audit only; confers no authority). */
  requester?: UserId;
}

/** What the gateway asks the authority to mint for one tool call. */
export interface GrantRequest {
  subject: string;
  actor: string;
  audience: string;
  scope: string;
  threadId: string;
  runId: string;
  mode: 'user' | 'self';
  requester?: UserId;
  /** Seconds; capped at 300 (I2). */
  ttlSeconds?: number;
}

/** What a verifier checks beyond signature, issuer and time. */
export interface GrantExpectation {
  audience: string;
  threadId?: string;
  runId?: string;
  /** Reject a `jti` seen before (default true). */
  preventReplay?: boolean;
}

/** A persisted Ed25519 signing key. `privateJwk` is only present for keys this deployment signs with. */
export interface StoredSigningKey {
  kid: string;
  publicJwk: JsonWebKeyShape;
  privateJwk: JsonWebKeyShape;
  createdAt: number;
  /** When a newer key took over; the key still verifies until `retiredAt + max grant lifetime`. */
  retiredAt: number | null;
}

/** A JWK as plain data. */
export type JsonWebKeyShape = Record<string, string | string[] | undefined>;

/** Storage port for signing keys. */
export interface SigningKeyStore {
  list(): Promise<StoredSigningKey[]>;
  insert(key: StoredSigningKey): Promise<void>;
  retire(kid: string, at: number): Promise<void>;
}

/** Storage port for single-use grant ids. */
export interface JtiStore {
  /** Records `jti`; returns false when it was already used (a replay). */
  claim(jti: string, expiresAt: number): Promise<boolean>;
  purgeExpired(now: number): Promise<number>;
}
