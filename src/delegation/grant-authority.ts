import { SignJWT } from 'jose';
import { AppError } from '../protocol/errors.ts';
import type { Clock } from '../shared/clock.ts';
import type { IdGenerator } from '../shared/ids.ts';
import { DelegationGrant } from './grant.ts';
import { checkBinding, refuse } from './grant-check.ts';
import { createGrantVerifier } from './grant-verifier.ts';
import { createKeyRing } from './key-ring.ts';
import {
  type ActorClaim,
  type GrantAuthority,
  type GrantCheck,
  type GrantClaims,
  type GrantExpectation,
  type GrantRequest,
  type JtiStore,
  MAX_ACTOR_CHAIN,
  type SigningKeyStore,
} from './types.ts';

/** Dependencies of the grant authority; one per deployment, built by the composition root. */
export interface GrantAuthorityOptions {
  /** `iss` of every grant, e.g. the public base URL. */
  issuer: string;
  keys: SigningKeyStore;
  /** Replay protection for signed grants. */
  jtis: JtiStore;
  clock: Clock;
  ids: IdGenerator;
  /** Longest grant lifetime, seconds; at most 300 (SPEC I2). Default 300. */
  maxTtlSeconds?: number;
}

const TTL_CAP_SECONDS = 300;
const CLOCK_TOLERANCE_SECONDS = 5;

/** Loads (or creates) the signing keys and returns the authority; see `GrantAuthority`. */
export async function createGrantAuthority(options: GrantAuthorityOptions): Promise<GrantAuthority> {
  const { issuer, clock, ids } = options;
  const maxTtl = options.maxTtlSeconds ?? TTL_CAP_SECONDS;
  if (!Number.isInteger(maxTtl) || maxTtl < 1 || maxTtl > TTL_CAP_SECONDS) {
    throw new AppError('bad_request', `maxTtlSeconds must be an integer from 1 to ${TTL_CAP_SECONDS}`);
  }
  const ring = await createKeyRing({
    store: options.keys,
    clock,
    maxGrantTtlSeconds: maxTtl,
    clockSkewSeconds: CLOCK_TOLERANCE_SECONDS,
  });
  const verifier = createGrantVerifier({
    issuer,
    keySet: ring.getKey,
    jtis: options.jtis,
    clock,
    clockToleranceSeconds: CLOCK_TOLERANCE_SECONDS,
    maxTtlSeconds: maxTtl,
  });
  // The proof of authenticity: object identity in a registry no other code can reach. Each entry
  // also records use: a grant's jti is unique to its object, so single use per object is single
  // use per jti, without a jti set to prune (entries go with their grants).
  const genuine = new WeakMap<object, { used: boolean }>();

  const isGenuine = (value: unknown): value is DelegationGrant =>
    typeof value === 'object' && value !== null && genuine.has(value);

  return {
    issuer,

    mint(request: GrantRequest): DelegationGrant {
      requireText(request.subject, 'subject');
      requireText(request.actor, 'actor');
      if (request.priorActor !== undefined && !isActorChain(request.priorActor, MAX_ACTOR_CHAIN - 1))
        throw new AppError('bad_request', `priorActor must be an actor chain of at most ${MAX_ACTOR_CHAIN - 1} levels`);
      requireText(request.audience, 'audience');
      requireText(request.threadId, 'threadId');
      requireText(request.runId, 'runId');
      if (typeof request.scope !== 'string') throw new AppError('bad_request', 'grant scope must be a string');
      if (request.mode !== 'user' && request.mode !== 'self') throw new AppError('bad_request', 'unknown grant mode');
      const lifetime = Math.min(Math.floor(request.ttlSeconds ?? maxTtl), maxTtl);
      if (!(lifetime >= 1)) throw new AppError('bad_request', 'ttlSeconds must be at least 1');

      const now = Math.floor(clock.now() / 1000);
      const claims: GrantClaims = {
        iss: issuer,
        sub: request.subject,
        act: request.priorActor ? { sub: request.actor, act: request.priorActor } : { sub: request.actor },
        aud: request.audience,
        scope: request.scope,
        thread: request.threadId,
        run: request.runId,
        jti: ids.next('grant'),
        iat: now,
        nbf: now,
        exp: now + lifetime,
        mode: request.mode,
      };
      if (request.requester !== undefined) claims.requester = request.requester;
      const grant = new DelegationGrant(claims, request.subjectGroups ?? [], request.callId);
      genuine.set(grant, { used: false });
      return grant;
    },

    isGenuine,

    verifyInProcess(grant: unknown, expectation: GrantExpectation): GrantCheck {
      const state = typeof grant === 'object' && grant !== null ? genuine.get(grant) : undefined;
      if (!state) return refuse('forged', 'grant was not minted by this authority');
      const { claims, subjectGroups, callId } = grant as DelegationGrant;
      const now = clock.now();
      if (now < claims.nbf * 1000) return refuse('not_yet_valid', 'grant is not valid yet');
      if (now >= claims.exp * 1000) return refuse('expired', 'grant has expired');
      const mismatch = checkBinding(claims, expectation);
      if (mismatch) return mismatch;
      // Bound to its one call: a genuine grant minted for anything else (another call of the
      // same run, another subject) is not this call's identity.
      if (expectation.callId !== undefined && callId !== expectation.callId) {
        return refuse('wrong_call', 'grant is for another tool call');
      }
      if (expectation.preventReplay !== false) {
        if (state.used) return refuse('replayed', 'grant was already used');
        state.used = true;
      }
      return { ok: true, claims, subjectGroups };
    },

    async sign(grant: DelegationGrant): Promise<string> {
      if (!isGenuine(grant)) throw new AppError('forbidden', 'only grants minted by this authority can be signed');
      const { kid, privateKey } = ring.signingKey();
      return new SignJWT({ ...grant.claims }).setProtectedHeader({ alg: 'EdDSA', kid, typ: 'JWT' }).sign(privateKey);
    },

    verify: (token, expectation) => verifier.verify(token, expectation),
    jwks: () => ring.jwks(),
    rotate: () => ring.rotate(),
    reload: () => ring.reload(),
  };
}

function isActorChain(value: unknown, depth: number): value is ActorClaim {
  if (depth < 1 || typeof value !== 'object' || value === null) return false;
  const { sub, act } = value as { sub?: unknown; act?: unknown };
  return typeof sub === 'string' && sub.length > 0 && (act === undefined || isActorChain(act, depth - 1));
}

function requireText(value: unknown, field: string): void {
  if (typeof value !== 'string' || value.length === 0) throw new AppError('bad_request', `grant ${field} is required`);
}
