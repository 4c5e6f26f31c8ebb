import type { ActorClaim, GrantClaims } from './types.ts';

/**
 * An in-process delegation grant: the claims of SPEC I2 as an immutable object. Holding one
 * proves nothing by itself — authenticity is membership in the minting authority's private
 * registry (`GrantAuthority.isGenuine`), which no other code can add to. A structurally identical
 * object made elsewhere (spread, `Object.create`, JSON round-trip) is rejected.
 */
export class DelegationGrant {
  readonly claims: Readonly<GrantClaims>;

  /** @internal Only `GrantAuthority` constructs grants; see `isGenuine`. */
  constructor(claims: GrantClaims) {
    // A field-by-field literal, not a spread: spreading and freezing cost ~3 µs per grant, this ~0.1 µs.
    const copy: GrantClaims = {
      iss: claims.iss,
      sub: claims.sub,
      act: frozenActor(claims.act),
      aud: claims.aud,
      scope: claims.scope,
      thread: claims.thread,
      run: claims.run,
      jti: claims.jti,
      iat: claims.iat,
      nbf: claims.nbf,
      exp: claims.exp,
      mode: claims.mode,
    };
    if (claims.requester !== undefined) copy.requester = claims.requester;
    this.claims = Object.freeze(copy);
    Object.freeze(this);
  }
}

/** A frozen copy of an actor chain (usually one level: the agent). */
function frozenActor(actor: ActorClaim): Readonly<ActorClaim> {
  return Object.freeze(actor.act ? { sub: actor.sub, act: frozenActor(actor.act) } : { sub: actor.sub });
}
