import { describe, expect, it } from 'vitest';
import { systemClock } from '../shared/clock.ts';
import { sequentialIds } from '../shared/ids.ts';
import { createSqliteStore } from '../storage/index.ts';
import { AuditLog } from './audit-log.ts';
import { verifyChain } from './verify.ts';
import { wellFormed, wellFormedEntry } from './well-formed.ts';

describe('well-formed audit text', () => {
  it('replaces lone surrogates and keeps valid pairs', () => {
    expect(wellFormed('lone \ud800 surrogate')).toBe('lone \ufffd surrogate');
    expect(wellFormed('tail \udc00')).toBe('tail \ufffd');
    expect(wellFormed('emoji 👩‍💻')).toBe('emoji 👩‍💻');
  });

  it('returns the same entry when nothing needs changing', () => {
    const entry = {
      requester: 'bob',
      agent: null,
      mode: 'user' as const,
      threadId: null,
      runId: null,
      action: 'a',
      resource: 'r',
      decision: 'deny' as const,
      policies: [],
    };
    expect(wellFormedEntry(entry)).toBe(entry);
  });

  it('regression (issue 2): a model-made lone surrogate in a reason no longer breaks the SQLite chain', async () => {
    const store = await createSqliteStore({ path: ':memory:' });
    const log = new AuditLog(store.audit, systemClock, sequentialIds());
    await log.append({
      requester: 'bob',
      agent: 'behalf-agent',
      mode: 'user',
      threadId: 't',
      runId: 'r',
      action: 'tool.call',
      resource: 'tool:get_document',
      decision: 'deny',
      policies: [],
      reason: 'No document lone \ud800 surrogate that you may read',
      labels: ['x\udfff'],
    });
    expect(await verifyChain(store.audit)).toMatchObject({ ok: true, count: 1 });
    await store.close();
  });
});
