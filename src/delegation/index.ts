export { DelegationGrant } from './grant.ts';
export { createGrantAuthority, type GrantAuthorityOptions } from './grant-authority.ts';
export { benchGrants, type GrantBenchResult } from './grant-bench.ts';
export { createGrantVerifier, type GrantVerifierOptions } from './grant-verifier.ts';
export { createKeyRing, type KeyRing, type KeyRingOptions } from './key-ring.ts';
export { MemoryJtiStore, MemorySigningKeyStore } from './memory-stores.ts';
export type {
  GrantAuthority,
  GrantCheck,
  GrantClaims,
  GrantExpectation,
  GrantRejection,
  GrantRequest,
  GrantVerifier,
  JsonWebKeyShape,
  JtiStore,
  PublicJsonWebKeySet,
  PublicSigningJwk,
  SigningKeyStore,
  StoredSigningKey,
} from './types.ts';
