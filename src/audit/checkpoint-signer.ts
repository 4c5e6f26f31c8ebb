import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { AuditCheckpoint, ChainHead } from './types.ts';

/** Signs and checks chain-head checkpoints with a key derived from the deployment secret. */
export interface CheckpointSigner {
  /** Names the key (not secret): lines signed with another deployment secret are told apart. */
  readonly kid: string;
  /** A signed checkpoint of `head` (which must not be the empty chain's head) made at `at`. */
  sign(head: ChainHead, at: number): AuditCheckpoint;
  /** Null when `checkpoint` carries this key's valid signature, else why not. */
  check(checkpoint: AuditCheckpoint): string | null;
}

/**
 * HMAC-SHA256 rather than a signature scheme such as Ed25519: whoever verifies is the deployment
 * itself (`behalf audit verify` and the server, both holding the secret), so a public key would
 * only add key distribution. HKDF gives the checkpoint key its own `info`, so sharing
 * `BEHALF_SECRET_KEY` with connector credentials and OIDC cookies never shares a key between them.
 */
export function createCheckpointSigner(secret: Uint8Array): CheckpointSigner {
  const key = Buffer.from(hkdfSync('sha256', secret, new Uint8Array(0), 'behalf/audit-checkpoint/v1', 32));
  const kid = Buffer.from(hkdfSync('sha256', secret, new Uint8Array(0), 'behalf/audit-checkpoint/key-id', 6)).toString(
    'base64url',
  );
  const mac = (checkpoint: Omit<AuditCheckpoint, 'mac'>): Buffer =>
    createHmac('sha256', key).update(signedText(checkpoint)).digest();

  return {
    kid,
    sign(head, at) {
      const unsigned = { v: 1 as const, seq: head.seq, hash: head.hash, at, kid };
      return { ...unsigned, mac: mac(unsigned).toString('base64url') };
    },
    check(checkpoint) {
      if (checkpoint.kid !== kid) {
        return `it was signed with another secret key (${checkpoint.kid}; this deployment's is ${kid}): check BEHALF_SECRET_KEY`;
      }
      const given = Buffer.from(checkpoint.mac, 'base64url');
      const expected = mac(checkpoint);
      // Constant time, so the comparison does not reveal how much of a forged MAC was right.
      if (given.byteLength !== expected.byteLength || !timingSafeEqual(given, expected)) {
        return 'its signature does not match its contents (the line was forged or altered)';
      }
      return null;
    },
  };
}

/** Exactly what the MAC covers: a fixed, unambiguous text (no JSON key-order questions). */
function signedText(checkpoint: Omit<AuditCheckpoint, 'mac'>): string {
  return `behalf-audit-checkpoint/v${checkpoint.v}\n${checkpoint.kid}\n${checkpoint.seq}\n${checkpoint.hash}\n${checkpoint.at}`;
}
