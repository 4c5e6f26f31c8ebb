import { runAuditBench } from '../../bench/audit-bench.ts';
import { runAuthzBench } from '../../bench/authz-bench.ts';
import { runFairnessBench } from '../../bench/fairness-bench.ts';
import { runFanoutBench } from '../../bench/fanout.ts';
import { multiplayerTable } from '../../bench/multiplayer/figures-table.ts';
import { regressionSet } from '../../bench/multiplayer/regression-set.ts';
import { type MultiplayerBenchResult, runMultiplayerBench } from '../../bench/multiplayer-bench.ts';
import { runScaleBench } from '../../bench/scale-bench.ts';
import { runSearchBench } from '../../bench/search-bench.ts';
import { EXIT } from '../exit-codes.ts';
import type { CommandOutput } from '../output.ts';
import { UsageError } from './audit.ts';

type BenchRunner = (options: {
  quick: boolean;
  /** The workspace directory, for benchmarks that run over one (multiplayer). */
  workspace?: string;
  onProgress: (line: string) => void;
}) => Promise<Record<string, unknown>>;

/**
 * Benchmarks by name; each returns the one JSON object of SPEC §10, and may say how to show it
 * to a person (default: one `key value` line per field).
 */
export const BENCHES: Record<
  string,
  { description: string; run: BenchRunner; format?: (result: Record<string, unknown>) => string[] }
> = {
  authz: {
    description: 'agent turn throughput with user authorization vs a no-authorization baseline',
    run: ({ quick, onProgress }) =>
      runAuthzBench({ ...(quick ? { turns: 60, rounds: 2 } : {}), onProgress }) as unknown as Promise<
        Record<string, unknown>
      >,
  },
  fanout: {
    description: 'delivery of thread messages to 200 WebSocket members vs a raw ws broadcast',
    run: ({ quick, onProgress }) =>
      runFanoutBench({ ...(quick ? { messages: 40, rounds: 2 } : {}), onProgress }) as unknown as Promise<
        Record<string, unknown>
      >,
  },
  audit: {
    description: 'audited appends (hash chain, group commit) vs unchained durable inserts',
    run: ({ quick, onProgress }) =>
      runAuditBench({
        ...(quick ? { sequential: 250, concurrent: 500, rounds: 4 } : {}),
        onProgress,
      }) as unknown as Promise<Record<string, unknown>>,
  },
  search: {
    description: 'permission-filtered full-text search vs unfiltered at 10 % selectivity, recall vs an exact oracle',
    run: ({ quick, onProgress }) =>
      runSearchBench({
        ...(quick ? { docs: 3000, queries: 40, rounds: 2, toolCalls: 20 } : {}),
        onProgress,
      }) as unknown as Promise<Record<string, unknown>>,
  },
  scale: {
    description: 'policy decision time, cold and warm, on a base deployment and one 100× larger',
    run: ({ quick, onProgress }) =>
      runScaleBench({
        ...(quick ? { base: { users: 10, threads: 4, documents: 20 }, samples: 1000, workingSet: 200 } : {}),
        onProgress,
      }) as unknown as Promise<Record<string, unknown>>,
  },
  multiplayer: {
    description:
      'leaks and utility of scripted multi-person conversations, offline and adversarial models, lazy context on and off',
    run: ({ quick, workspace, onProgress }) =>
      runMultiplayerBench({
        // Quick: the regression set the test suite replays (every template, both models).
        ...(quick ? regressionSet : {}),
        ...(workspace ? { workspace } : {}),
        onProgress,
      }) as unknown as Promise<Record<string, unknown>>,
    format: (result) => multiplayerTable(result as unknown as MultiplayerBenchResult),
  },
  fairness: {
    description: 'another person’s SELECT 1 on the embedded source, idle vs while one person floods it',
    run: ({ quick, onProgress }) =>
      runFairnessBench({ ...(quick ? { samples: 15 } : {}), onProgress }) as unknown as Promise<
        Record<string, unknown>
      >,
  },
};

/**
 * `behalf bench [NAME]`: runs one benchmark (or all). Progress goes to stderr; with `--json`
 * the last line of stdout is the result object.
 */
export async function benchCommand(
  name: string | undefined,
  options: { json?: boolean; quick?: boolean; workspace?: string },
  output: CommandOutput,
): Promise<number> {
  if (name && !BENCHES[name])
    throw new UsageError(`unknown benchmark "${name}"; available: ${Object.keys(BENCHES).join(', ')}`);
  const names = name ? [name] : Object.keys(BENCHES);
  for (const bench of names) {
    const entry = BENCHES[bench] as (typeof BENCHES)[string];
    output.progress(`bench ${bench}: ${entry.description}`);
    const result = await entry.run({
      quick: options.quick ?? false,
      ...(options.workspace ? { workspace: options.workspace } : {}),
      onProgress: (line) => output.progress(`  ${line}`),
    });
    if (options.json) output.out(JSON.stringify(result));
    else if (entry.format) for (const line of entry.format(result)) output.out(line);
    else for (const [key, value] of Object.entries(result)) output.out(`${key.padEnd(22)} ${value}`);
  }
  return EXIT.ok;
}
