import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../shared/hash.ts';
import { GENESIS_HASH, hashRecord } from './chain.ts';
import type { AuditRecord } from './types.ts';

const record: Omit<AuditRecord, 'hash'> = {
  seq: 1,
  id: 'aud_1',
  at: 1_767_225_600_000,
  requester: 'alice',
  agent: 'behalf-agent',
  mode: 'user',
  threadId: 'thr_1',
  runId: 'run_1',
  action: 'data.query',
  resource: 'sql:compensation',
  decision: 'allow',
  policies: [],
  reason: '8 rows',
  labels: ['hr-confidential'],
  callId: 'call_1',
  prevHash: GENESIS_HASH,
};

/** The record hash as chains were written before statements existed (issue 11.6). */
function hashBeforeStatements(value: Omit<AuditRecord, 'hash'>): string {
  const fields = [
    value.seq,
    value.id,
    value.at,
    value.requester,
    value.agent,
    value.mode,
    value.threadId,
    value.runId,
    value.action,
    value.resource,
    value.decision,
    value.policies,
    value.reason ?? null,
    value.argsHash ?? null,
    value.resultHash ?? null,
    value.labels ?? null,
    value.callId ?? null,
  ];
  return sha256Hex(`${value.prevHash}\n${JSON.stringify(fields)}`);
}

describe('record hashes and the statement fields (issue 11.6)', () => {
  it('hashes a record without a statement exactly as before, so older chains still verify', () => {
    expect(hashRecord(record)).toBe(hashBeforeStatements(record));
  });

  it('covers the statement and its hash when present: editing, adding or dropping either changes the hash', () => {
    const withStatement = { ...record, statement: 'SELECT salary FROM compensation', statementHash: 'a'.repeat(64) };
    const hash = hashRecord(withStatement);
    expect(hash).not.toBe(hashRecord(record));
    expect(hashRecord({ ...withStatement, statement: 'SELECT 1' })).not.toBe(hash);
    expect(hashRecord({ ...withStatement, statementHash: 'b'.repeat(64) })).not.toBe(hash);
    const { statement: _dropped, ...hashOnly } = withStatement;
    expect(hashRecord(hashOnly)).not.toBe(hash);
    expect(hashRecord(hashOnly)).not.toBe(hashRecord(record));
  });
});
