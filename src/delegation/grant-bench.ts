import { systemClock } from '../shared/clock.ts';
import { randomIds } from '../shared/ids.ts';
import { createGrantAuthority } from './grant-authority.ts';
import { MemoryJtiStore, MemorySigningKeyStore } from './memory-stores.ts';
import type { GrantRequest } from './types.ts';

/** Per-call cost of grants, microseconds (mean over the measured iterations, after warm-up). */
export interface GrantBenchResult {
  mintMicros: number;
  mintAndVerifyInProcessMicros: number;
  signMicros: number;
  signAndVerifyMicros: number;
}

/**
 * Measures the two grant paths of SPEC I2 on real keys and stores in memory: in-process (mint +
 * verifyInProcess) and signed (mint + sign + verify). For `behalf bench grants`.
 */
export async function benchGrants(options: { iterations?: number } = {}): Promise<GrantBenchResult> {
  const iterations = options.iterations ?? 20_000;
  const authority = await createGrantAuthority({
    issuer: 'https://behalf.bench',
    keys: new MemorySigningKeyStore(),
    jtis: new MemoryJtiStore(systemClock),
    clock: systemClock,
    ids: randomIds,
  });
  const request: GrantRequest = {
    subject: 'alice',
    actor: 'agent',
    audience: 'tool:sql',
    scope: 'sql:read',
    threadId: 'thr_1',
    runId: 'run_1',
    mode: 'user',
  };
  const expectation = { audience: 'tool:sql', threadId: 'thr_1', runId: 'run_1' };

  const mintMicros = measureSync(iterations, () => {
    authority.mint(request);
  });
  const mintAndVerifyInProcessMicros = measureSync(iterations, () => {
    if (!authority.verifyInProcess(authority.mint(request), expectation).ok) throw new Error('bench grant refused');
  });
  const signedIterations = Math.max(1, Math.floor(iterations / 10));
  const signMicros = await measure(signedIterations, () => authority.sign(authority.mint(request)));
  const signAndVerifyMicros = await measure(signedIterations, async () => {
    const check = await authority.verify(await authority.sign(authority.mint(request)), expectation);
    if (!check.ok) throw new Error('bench grant refused');
  });
  return { mintMicros, mintAndVerifyInProcessMicros, signMicros, signAndVerifyMicros };
}

// Warm-up lets the JIT settle so the figures are the steady state, not the first calls.
function measureSync(iterations: number, step: () => void): number {
  for (let index = 0; index < Math.min(5000, iterations); index++) step();
  const started = process.hrtime.bigint();
  for (let index = 0; index < iterations; index++) step();
  return Number(process.hrtime.bigint() - started) / 1000 / iterations;
}

async function measure(iterations: number, step: () => Promise<unknown>): Promise<number> {
  for (let index = 0; index < Math.min(5000, iterations); index++) await step();
  const started = process.hrtime.bigint();
  for (let index = 0; index < iterations; index++) await step();
  return Number(process.hrtime.bigint() - started) / 1000 / iterations;
}
