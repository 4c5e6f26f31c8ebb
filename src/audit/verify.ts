import { GENESIS_HASH, hashRecord, normalizeRecord } from './chain.ts';
import type { AuditLogStore, ChainVerification } from './types.ts';

/** A head previously read from the log and kept elsewhere (to detect truncation of the tail). */
export interface AuditAnchor {
  seq: number;
  hash: string;
}

/**
 * Walks the whole chain in seq order and recomputes every hash. Detects an edited record (its
 * hash no longer matches), a deleted or inserted record (a seq gap or a broken `prevHash` link)
 * and reordering (links break). Deleting records at the tail leaves a valid shorter chain, which
 * only an anchor kept outside the database can reveal: pass `anchor` to require that the chain
 * still contains that record unchanged.
 */
export async function verifyChain(
  store: AuditLogStore,
  options: { pageSize?: number; anchor?: AuditAnchor; onProgress?: (checked: number) => void } = {},
): Promise<ChainVerification> {
  const pageSize = options.pageSize ?? 1000;
  let previous = { seq: 0, hash: GENESIS_HASH };
  let count = 0;
  for (;;) {
    const page = await store.scan(previous.seq, pageSize);
    if (page.length === 0) break;
    for (const record of page) {
      const at = record.seq;
      if (record.seq !== previous.seq + 1) {
        return broken(
          count,
          at,
          `expected record ${previous.seq + 1}, found ${record.seq} (a record was deleted or inserted)`,
        );
      }
      if (record.prevHash !== previous.hash) {
        return broken(
          count,
          at,
          `record ${at} does not link to record ${previous.seq} (removed, inserted or reordered)`,
        );
      }
      if (hashRecord(normalizeRecord(record)) !== record.hash) {
        return broken(count, at, `record ${at} was modified after it was written`);
      }
      if (options.anchor && record.seq === options.anchor.seq && record.hash !== options.anchor.hash) {
        return broken(count, at, `record ${at} differs from the anchor kept outside the database`);
      }
      previous = { seq: record.seq, hash: record.hash };
      count += 1;
    }
    options.onProgress?.(count);
  }
  if (options.anchor && previous.seq < options.anchor.seq) {
    return broken(
      count,
      previous.seq + 1,
      `the chain ends at ${previous.seq}, before the anchor at ${options.anchor.seq} (records were deleted)`,
    );
  }
  return { ok: true, count, head: previous.hash };
}

function broken(count: number, brokenAt: number, reason: string): ChainVerification {
  return { ok: false, count, brokenAt, reason };
}
