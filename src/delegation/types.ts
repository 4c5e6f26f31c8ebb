import type { UserId } from '../identity/types.ts';
import type { DelegationGrant } from './grant.ts';

/**
 * An actor (RFC 8693 §4.1): `sub` acts now; a nested `act` is who acted before it in the chain,
 * informational only (access decisions look at the outermost actor and at `sub`).
 */
export interface ActorClaim {
  sub: string;
  act?: ActorClaim;
}

/** How deep an actor chain may nest before a grant is refused. */
export const MAX_ACTOR_CHAIN = 4;

/**
 * Claims of a delegation grant (SPEC I2, RFC 8693 shape): `sub` is the human requester (or the
 * agent itself in self-authorized mode), `act.sub` the acting agent, `aud` the one tool or
 * resource the grant is for.
 */
export interface GrantClaims {
  iss: string;
  sub: string;
  act: ActorClaim;
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
  /** The subject's current groups, carried by the in-process grant only (never signed). */
  subjectGroups?: readonly string[];
  /** The one tool call the grant is for (in-process only): a tool accepts no other call's grant. */
  callId?: string;
  /** Who acted before `actor` (the subject grant's own `act` in a token exchange); nested under it. */
  priorActor?: ActorClaim;
  /** Seconds; capped at 300 (I2). */
  ttlSeconds?: number;
}

/** What a verifier checks beyond signature, issuer and time. */
export interface GrantExpectation {
  audience: string;
  threadId?: string;
  runId?: string;
  /** In-process grants: the tool call the grant must have been minted for. */
  callId?: string;
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

/**
 * Storage port for single-use grant ids. Times are epoch milliseconds (the `Clock` unit). A `jti`
 * must be remembered at least until `expiresAt`: verifiers pass the last instant the grant could
 * still be accepted (its `exp` plus clock tolerance).
 */
export interface JtiStore {
  /** Records `jti` atomically; returns false when it was already used (a replay). */
  claim(jti: string, expiresAt: number): Promise<boolean>;
  /** Forgets ids whose `expiresAt` is at or before `now`; returns how many were removed. */
  purgeExpired(now: number): Promise<number>;
}

/**
 * Why a grant was refused. Stable codes: audit records and tool errors carry them.
 * - `malformed`: not a compact JWS / JSON, or the wrong `typ`.
 * - `bad_algorithm`: any `alg` but `EdDSA` (`none`, HS256 key confusion, RS256, ES256...).
 * - `unknown_key`: no `kid`, a `kid` never issued, or a retired key past its verification window.
 * - `bad_signature`: the signature does not verify (tampered header, payload or signature).
 * - `expired` / `not_yet_valid`: outside `nbf`..`exp` (with clock tolerance for signed grants).
 * - `bad_issuer` / `bad_audience`: `iss` is not this deployment, `aud` is not the expected tool.
 * - `wrong_thread` / `wrong_run`: the grant was minted for another thread or run.
 * - `replayed`: the `jti` was presented before.
 * - `forged`: an in-process grant object that the authority did not mint.
 * - `invalid_claims`: required claims missing or ill-typed (e.g. no `act`), or a lifetime over the cap.
 */
export type GrantRejection =
  | 'malformed'
  | 'bad_algorithm'
  | 'unknown_key'
  | 'bad_signature'
  | 'expired'
  | 'not_yet_valid'
  | 'bad_issuer'
  | 'bad_audience'
  | 'wrong_thread'
  | 'wrong_run'
  | 'wrong_call'
  | 'replayed'
  | 'forged'
  | 'invalid_claims';

/** The outcome of verifying a grant: a value, never an exception, so callers cannot skip the deny path. */
export type GrantCheck =
  | {
      ok: true;
      claims: Readonly<GrantClaims>;
      /** In-process grants: the subject's groups as minted; absent for a signed grant. */
      subjectGroups?: readonly string[];
    }
  | { ok: false; reason: GrantRejection; message: string };

/** A public Ed25519 verification key as published in the JWKS. Never carries the private `d`. */
export type PublicSigningJwk = {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  /** RFC 7638 thumbprint of `{ crv, kty, x }`. */
  kid: string;
  alg: 'EdDSA';
  use: 'sig';
};

/** The body of `GET /.well-known/jwks.json`. */
export type PublicJsonWebKeySet = { keys: PublicSigningJwk[] };

/**
 * Verifies signed grants (compact JWS). Used by the authority itself and by tools outside the
 * process (an MCP server verifying against Behalf's JWKS).
 */
export interface GrantVerifier {
  /**
   * Checks signature (EdDSA only, key by `kid`), issuer, audience, time, claim shape, thread/run
   * binding and single use. Token problems are rejections; only an unreachable key set or replay
   * store throws (`AppError` `unavailable`), which callers must treat as a deny.
   */
  verify(token: string, expectation: GrantExpectation): Promise<GrantCheck>;
}

/**
 * The gateway's grant authority (SPEC I2): mints in-process grants, signs them for tools outside
 * the process, verifies both kinds, and owns the signing keys.
 */
export interface GrantAuthority extends GrantVerifier {
  /** The `iss` of every grant this authority mints. */
  readonly issuer: string;
  /**
   * Mints an unforgeable in-process grant (synchronous, a few µs). `exp` is at most
   * `min(ttlSeconds, maxTtlSeconds)` from now. Throws `AppError` `bad_request` on an empty
   * subject, actor, audience, thread or run, or a TTL ≤ 0.
   */
  mint(request: GrantRequest): DelegationGrant;
  /** True only for grant objects this authority minted (identity, not structure). */
  isGenuine(value: unknown): value is DelegationGrant;
  /** Verifies an in-process grant: genuine, in time, bound to the expectation, single use. Synchronous. */
  verifyInProcess(grant: unknown, expectation: GrantExpectation): GrantCheck;
  /** Signs a genuine grant as a compact JWS (`alg: EdDSA`, `kid`, `typ: JWT`). Throws `forbidden` otherwise. */
  sign(grant: DelegationGrant): Promise<string>;
  /** The public keys that currently verify grants (signing key and retired keys still in their window). */
  jwks(): PublicJsonWebKeySet;
  /** Starts signing with a new key; the previous one keeps verifying until its grants expire. Returns the new `kid`. */
  rotate(): Promise<string>;
  /**
   * Re-reads the key store. With several processes sharing one store, each must reload after
   * another rotates (on an interval or a notification) to verify and publish the new key.
   */
  reload(): Promise<void>;
}
