import type { AuditCheckpoints } from './audit-checkpoints.ts';
import type { AuditLogStore, AuditVerification, CheckpointCheck } from './types.ts';
import { type AuditAnchor, verifyChain } from './verify.ts';

/**
 * What `behalf audit verify` and `GET /api/audit/verify` run: the whole chain, every signed
 * checkpoint in the checkpoint file (the latest one bounds truncation; each must still be in the
 * chain with its hash, so recomputing the chain after an edit or rewriting it from genesis is
 * found), and an optional anchor kept by hand. A checkpoint file holding a line that is not
 * validly signed by this deployment fails verification too.
 */
export async function verifyAuditLog(
  store: AuditLogStore,
  options: {
    checkpoints?: AuditCheckpoints | undefined;
    anchor?: AuditAnchor | undefined;
    pageSize?: number;
    onProgress?: (checked: number) => void;
  } = {},
): Promise<AuditVerification> {
  const chainOptions = {
    ...(options.anchor ? { anchor: options.anchor } : {}),
    ...(options.pageSize ? { pageSize: options.pageSize } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  };
  if (!options.checkpoints) return { ...(await verifyChain(store, chainOptions)), checkpoint: null };
  // Checkpoints first, then the chain: the chain only grows meanwhile, so a checkpoint written
  // by a live server during the walk can never look like a truncation.
  const latest = await options.checkpoints.latest();
  const chain = await verifyChain(store, { ...chainOptions, checkpoints: latest.all });
  const newest = latest.checkpoint;
  if (latest.problem !== null) {
    const checkpoint: CheckpointCheck = {
      ok: false,
      ...(newest ? { seq: newest.seq, at: newest.at } : {}),
      reason: latest.problem,
    };
    // The chain's own failure names a record; otherwise the file is what failed.
    return chain.ok
      ? { ok: false, count: chain.count, brokenAt: 0, reason: latest.problem, checkpoint }
      : { ...chain, checkpoint };
  }
  if (!newest) return { ...chain, checkpoint: null };
  // A break after the latest checkpoint leaves every checkpoint matched: the walk passed them all.
  const checkpoint: CheckpointCheck =
    !chain.ok && chain.brokenAt <= newest.seq
      ? { ok: false, seq: newest.seq, at: newest.at, reason: chain.reason }
      : { ok: true, seq: newest.seq, hash: newest.hash, at: newest.at, checked: latest.all.length };
  return { ...chain, checkpoint };
}
