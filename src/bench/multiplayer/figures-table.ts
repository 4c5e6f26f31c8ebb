import type { MultiplayerBenchResult } from '../multiplayer-bench.ts';

/**
 * `behalf bench multiplayer` without `--json`: one row per model and design (lazy context on,
 * and off for comparison) with conversations, answers, deliveries (answer, reader), leaks and utility,
 * then the headline and the first leaks found.
 */
export function multiplayerTable(result: MultiplayerBenchResult): string[] {
  const header = [
    'model',
    'lazy context',
    'conversations',
    'answers',
    'shared parts',
    'deliveries',
    'leaks',
    'utility',
    'shown / could see',
  ];
  const rows: string[][] = [];
  for (const [model, figures] of Object.entries(result.models)) {
    for (const [lazy, entry] of [
      ['on', figures.lazy],
      ['off', figures.lazy_off],
    ] as const) {
      if (!entry) continue;
      rows.push([
        model,
        lazy,
        `${entry.conversations} (${entry.benign} benign, ${entry.hostile} hostile)`,
        String(entry.answers),
        String(entry.shared_parts),
        String(entry.deliveries),
        String(entry.leaks),
        entry.shareable === 0 ? '—' : entry.utility.toFixed(3),
        `${entry.shared_with_thread} / ${entry.shareable}`,
      ]);
    }
  }
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column >= 3 ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0)))
      .join('  ')
      .trimEnd();
  return [
    `multiplayer leakage over ${result.workspace}: ${result.conversations} conversations ` +
      `(${result.benign} benign, ${result.hostile} hostile)${result.memory_cases ? ', memory cases included' : ''}`,
    '',
    line(header),
    line(widths.map((width) => '-'.repeat(width))),
    ...rows.map(line),
    '',
    `leaks ${result.leaks} (must be 0); utility ${result.utility.toFixed(3)} with lazy context (target >= 0.9), ` +
      `${result.utility_lazy_off === undefined ? 'not measured' : result.utility_lazy_off.toFixed(3)} without; ${result.runtime_s} s`,
    ...result.leak_examples.map(
      (leak) =>
        `leak: ${leak.model}, lazy ${leak.lazy ? 'on' : 'off'}, ${leak.conversation} ${leak.answer} to ${leak.reader}: ${leak.why}`,
    ),
  ];
}
