import { GENESIS_HASH, hashRecord, normalizeRecord } from './chain.ts';
import type { AuditCheckpoint, AuditLogStore, ChainVerification } from './types.ts';

/** A head previously read from the log and kept elsewhere (to detect truncation of the tail). */
export interface AuditAnchor {
  seq: number;
  hash: string;
}

/** A record the chain must still hold unchanged, and what vouches for it (for the reason). */
interface Expected {
  seq: number;
  hash: string;
  source: string;
}

/**
 * Walks the whole chain in seq order and recomputes every hash. Detects an edited record (its
 * hash no longer matches), a deleted or inserted record (a seq gap or a broken `prevHash` link)
 * and reordering (links break). Deleting records at the tail, recomputing every hash after an
 * edit, or writing a new chain from genesis all leave a chain that is valid on its own, which
 * only something kept outside the database can reveal: pass `anchor` (kept by hand) or
 * `checkpoints` (signed, see `AuditCheckpoints`) to require that the chain still contains each
 * of those records unchanged and is not shorter than any of them.
 */
export async function verifyChain(
  store: AuditLogStore,
  options: {
    pageSize?: number;
    anchor?: AuditAnchor;
    checkpoints?: readonly AuditCheckpoint[];
    onProgress?: (checked: number) => void;
  } = {},
): Promise<ChainVerification> {
  const pageSize = options.pageSize ?? 1000;
  const expected = expectations(options.anchor, options.checkpoints ?? []);
  let next = 0;
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
      for (; expected[next] !== undefined && (expected[next] as Expected).seq === at; next += 1) {
        const { hash, source } = expected[next] as Expected;
        if (record.hash !== hash) {
          return broken(
            count,
            at,
            `record ${at} differs from ${source} (the chain was rewritten from here or earlier)`,
          );
        }
      }
      previous = { seq: record.seq, hash: record.hash };
      count += 1;
    }
    options.onProgress?.(count);
  }
  const last = expected.at(-1);
  if (last && previous.seq < last.seq) {
    return broken(
      count,
      previous.seq + 1,
      `the chain ends at ${previous.seq}, before ${last.source} at ${last.seq} (records were deleted)`,
    );
  }
  return { ok: true, count, head: previous.hash };
}

function expectations(anchor: AuditAnchor | undefined, checkpoints: readonly AuditCheckpoint[]): Expected[] {
  const expected: Expected[] = checkpoints.map((checkpoint) => ({
    seq: checkpoint.seq,
    hash: checkpoint.hash,
    source: `the signed checkpoint of ${new Date(checkpoint.at).toISOString()}`,
  }));
  if (anchor) expected.push({ ...anchor, source: 'the anchor kept outside the database' });
  return expected.sort((a, b) => a.seq - b.seq);
}

function broken(count: number, brokenAt: number, reason: string): ChainVerification {
  return { ok: false, count, brokenAt, reason };
}
