import type { GrantClaims } from './types.ts';

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
    this.claims = Object.freeze({ ...claims, act: Object.freeze({ ...claims.act }) });
    Object.freeze(this);
  }
}
