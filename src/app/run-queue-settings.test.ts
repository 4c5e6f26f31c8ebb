import { describe, expect, it } from 'vitest';
import { runQueueSettingsFromEnv } from './run-queue-settings.ts';

describe('runQueueSettingsFromEnv', () => {
  it('leaves every setting to the runtime default when unset or empty', () => {
    expect(runQueueSettingsFromEnv({})).toEqual({});
    expect(runQueueSettingsFromEnv({ BEHALF_RUN_LEASE_MS: '', BEHALF_RUN_POLL_MS: '  ' })).toEqual({});
  });

  it('reads the lease, poll interval and concurrency', () => {
    expect(
      runQueueSettingsFromEnv({
        BEHALF_RUN_LEASE_MS: '2000',
        BEHALF_RUN_POLL_MS: ' 250 ',
        BEHALF_RUN_CONCURRENCY: '1',
      }),
    ).toEqual({ leaseMs: 2000, pollMs: 250, concurrency: 1 });
  });

  it.each([
    ['BEHALF_RUN_LEASE_MS', '2s'],
    ['BEHALF_RUN_LEASE_MS', '999'],
    ['BEHALF_RUN_LEASE_MS', '-5000'],
    ['BEHALF_RUN_LEASE_MS', '1e4'],
    ['BEHALF_RUN_POLL_MS', '0'],
    ['BEHALF_RUN_POLL_MS', '2.5'],
    ['BEHALF_RUN_CONCURRENCY', '0'],
    ['BEHALF_RUN_CONCURRENCY', '99999999999999999999'],
  ])('refuses %s=%s, naming the variable', (name, value) => {
    expect(() => runQueueSettingsFromEnv({ [name]: value })).toThrow(
      expect.objectContaining({ code: 'bad_request', message: expect.stringContaining(name) }),
    );
  });

  it('refuses a poll interval longer than the lease (expired runs would be noticed late)', () => {
    expect(() => runQueueSettingsFromEnv({ BEHALF_RUN_LEASE_MS: '2000', BEHALF_RUN_POLL_MS: '5000' })).toThrow(
      /BEHALF_RUN_POLL_MS \(5000\) must not exceed the run lease \(2000 ms/,
    );
    expect(() => runQueueSettingsFromEnv({ BEHALF_RUN_POLL_MS: '40000' })).toThrow(/30000 ms/);
  });
});
