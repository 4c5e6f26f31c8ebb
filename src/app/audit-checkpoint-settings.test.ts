import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditCheckpointSettingsFromEnv } from './audit-checkpoint-settings.ts';

describe('audit checkpoint settings', () => {
  it('default to a file in the data directory, every minute', () => {
    expect(auditCheckpointSettingsFromEnv({}, '/srv/behalf')).toEqual({
      path: join('/srv/behalf', 'audit-checkpoints.jsonl'),
      intervalMs: 60_000,
    });
  });

  it('take BEHALF_AUDIT_CHECKPOINTS and BEHALF_AUDIT_CHECKPOINT_MS', () => {
    expect(
      auditCheckpointSettingsFromEnv(
        { BEHALF_AUDIT_CHECKPOINTS: 'audit/checkpoints.jsonl', BEHALF_AUDIT_CHECKPOINT_MS: '15000' },
        '/srv/behalf',
      ),
    ).toEqual({ path: resolve('audit/checkpoints.jsonl'), intervalMs: 15_000 });
  });

  it('refuse an interval that is not a whole number in range', () => {
    for (const value of ['0', '999', '1e4', 'soon', '86400001']) {
      expect(() => auditCheckpointSettingsFromEnv({ BEHALF_AUDIT_CHECKPOINT_MS: value }, '/d'), value).toThrow(
        /BEHALF_AUDIT_CHECKPOINT_MS/,
      );
    }
  });
});
