import type { TimedAuditEntry } from '../../audit/types.ts';
import type { NewMessage } from '../../threads/types.ts';

/** The pieces both stores' `measure-hot-paths.ts` scripts share (they are scripts, not tests). */

/** p50 and p99 of `iterations` calls, in microseconds, after a warm-up of up to `warmup` calls. */
export async function measure(
  iterations: number,
  operation: (index: number) => Promise<unknown>,
  warmup = 200,
): Promise<{ p50: number; p99: number }> {
  for (let index = 0; index < Math.min(warmup, iterations); index++) await operation(index);
  const samples = new Float64Array(iterations);
  for (let index = 0; index < iterations; index++) {
    const start = process.hrtime.bigint();
    await operation(index);
    samples[index] = Number(process.hrtime.bigint() - start) / 1000;
  }
  samples.sort();
  const at = (fraction: number) => samples[Math.floor(fraction * (iterations - 1))] ?? Number.NaN;
  return { p50: at(0.5), p99: at(0.99) };
}

/** A typical terminal tool-call record, with a fresh id each call. */
export function measureEntryFactory(): () => TimedAuditEntry {
  let counter = 0;
  return () => ({
    id: `audit-${counter++}`,
    at: Date.now(),
    requester: 'user-1',
    agent: 'behalf-agent',
    mode: 'user',
    threadId: 'thr-1',
    runId: 'run-1',
    action: 'tool.call',
    resource: 'tool:sql',
    decision: 'allow',
    policies: ['policy0'],
    argsHash: 'a'.repeat(64),
  });
}

/** A short human message in one of `threads` threads (`thr-0` …), with a fresh id each call. */
export function measureMessageFactory(threads: number): (index: number) => NewMessage {
  let counter = 0;
  return (index) => ({
    id: `msg-${counter++}`,
    threadId: `thr-${index % threads}`,
    kind: 'human',
    authorId: 'user-1',
    text: 'hello',
    audience: { kind: 'thread' },
    labels: ['public'],
    runId: null,
    requesterId: null,
    privateReason: null,
    sharedBy: null,
    sharedWith: [],
    createdAt: 0,
  });
}

/** One line per path, then (last) one JSON object of the p50s and any extra figures. */
export function printMeasurements(
  results: Record<string, { p50: number; p99: number }>,
  extra: Record<string, number> = {},
): void {
  for (const [path, { p50, p99 }] of Object.entries(results)) {
    console.log(`${path.padEnd(22)} p50 ${p50.toFixed(1).padStart(8)} µs   p99 ${p99.toFixed(1).padStart(8)} µs`);
  }
  console.log(
    JSON.stringify({
      ...Object.fromEntries(Object.entries(results).map(([path, { p50 }]) => [path, Number(p50.toFixed(2))])),
      ...extra,
    }),
  );
}
