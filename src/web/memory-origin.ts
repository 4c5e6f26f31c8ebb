import type { MemoryWire } from '../protocol/memory-wire.ts';

/**
 * Where a memory's labels came from, in words: "from the sql call at 10:02 (hr-confidential)",
 * "from the conversation (public)". One phrase per source, in the order the run read them.
 */
export function describeMemoryOrigin(memory: MemoryWire, time: (at: number) => string): string[] {
  return memory.origin.sources.map((source) =>
    source.kind === 'tool-call'
      ? `from the ${source.tool} call at ${time(source.at)} (${source.labels.join(', ')})`
      : `from the conversation (${source.labels.join(', ')})`,
  );
}
