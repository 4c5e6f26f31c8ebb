import { sha256Hex } from '../shared/hash.ts';
import type { AuditRecord, ChainHead, TimedAuditEntry } from './types.ts';

/** `prevHash` of the first record. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * Every field a record's hash covers, in the order it is serialized. A fixed list instead of a
 * generic canonical form because this runs on every tool call (about 3× cheaper), and because
 * the chain's format should be written down. The type check below fails the build when a field
 * is added to `AuditRecord` but not here.
 */
const HASHED_FIELDS = [
  'seq',
  'id',
  'at',
  'requester',
  'agent',
  'mode',
  'threadId',
  'runId',
  'action',
  'resource',
  'decision',
  'policies',
  'reason',
  'argsHash',
  'resultHash',
  'labels',
  'callId',
] as const satisfies ReadonlyArray<keyof AuditRecord>;

/**
 * Fields added after records were first chained. They are serialized after `HASHED_FIELDS` only
 * when the record has at least one of them, so every record written before they existed hashes
 * exactly as it did and older chains still verify; a record that has one cannot be passed off as
 * one without (the array would be shorter).
 */
const LATER_HASHED_FIELDS = ['statement', 'statementHash'] as const satisfies ReadonlyArray<keyof AuditRecord>;
type UnhashedField = Exclude<
  keyof AuditRecord,
  (typeof HASHED_FIELDS)[number] | (typeof LATER_HASHED_FIELDS)[number] | 'hash' | 'prevHash'
>;
const everyFieldHashed: UnhashedField extends never ? true : UnhashedField = true;
void everyFieldHashed;

/**
 * The hash of a record: SHA-256 over the previous hash and a JSON array of every other field in
 * a fixed order (absent optional fields as null), including `seq`, so editing any field,
 * dropping or inserting a record, or swapping two records breaks the chain from that point on.
 */
export function hashRecord(record: Omit<AuditRecord, 'hash'>): string {
  const values: unknown[] = HASHED_FIELDS.map((field) => record[field] ?? null);
  if (LATER_HASHED_FIELDS.some((field) => record[field] !== undefined)) {
    for (const field of LATER_HASHED_FIELDS) values.push(record[field] ?? null);
  }
  return sha256Hex(`${record.prevHash}\n${JSON.stringify(values)}`);
}

/** Builds the chained records that follow `head` (used inside the store's append transaction). */
export function chainRecords(head: ChainHead, entries: ReadonlyArray<TimedAuditEntry>): AuditRecord[] {
  const records: AuditRecord[] = [];
  let previous = head;
  for (const entry of entries) {
    const unhashed = normalizeRecord({ ...entry, seq: previous.seq + 1, prevHash: previous.hash });
    const record: AuditRecord = { ...unhashed, hash: hashRecord(unhashed) };
    records.push(record);
    previous = record;
  }
  return records;
}

/**
 * Drops optional fields that are undefined or null, and keeps the four nullable identity fields
 * as explicit nulls, so a record hashes the same before and after a storage round trip.
 */
export function normalizeRecord<T extends Omit<AuditRecord, 'hash'>>(record: T): Omit<AuditRecord, 'hash'> {
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (key !== 'hash' && value !== undefined && value !== null) copy[key] = value;
  }
  for (const key of ['requester', 'agent', 'threadId', 'runId'] as const) copy[key] = record[key] ?? null;
  return copy as unknown as Omit<AuditRecord, 'hash'>;
}
