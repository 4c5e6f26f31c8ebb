import { useCallback, useEffect, useState } from 'react';
import type { MemoryWire } from '../../protocol/memory-wire.ts';
import { useApp } from '../app-context.ts';
import { nameOf, shortTime } from '../format.ts';
import { describeMemoryOrigin } from '../memory-origin.ts';
import { Chips } from './chips.tsx';

/**
 * What the agent remembered in this thread (issue 10 point 4), as far as the reader is cleared:
 * each memory with its labels, who it was remembered for and where its labels came from. The
 * person whose request created one may delete it. Reloaded whenever `version` changes (a run
 * finished), since memories are written by runs.
 */
export function MemoryPanel({ threadId, version }: { threadId: string; version: string }) {
  const { api, people, notify } = useApp();
  const [memories, setMemories] = useState<MemoryWire[] | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setMemories(await api.memories(threadId));
    } catch (error) {
      notify(error);
    }
  }, [api, threadId, notify]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` is the reason to reload.
  useEffect(() => {
    void load();
  }, [load, version]);

  const remove = async (memory: MemoryWire) => {
    setBusy(memory.id);
    try {
      await api.deleteMemory(threadId, memory.id);
      await load();
    } catch (error) {
      notify(error);
    } finally {
      setBusy(null);
    }
  };

  return (
    <section className="memory-panel" aria-label="Agent memory" data-testid="memory-panel">
      <h2 className="panel-title">Memory</h2>
      {memories === null ? null : memories.length === 0 ? (
        <p className="muted">Nothing remembered that you can see. Ask “@agent remember that …”.</p>
      ) : (
        <ul className="memory-list">
          {memories.map((memory) => (
            <li key={memory.id} className="memory-item" data-testid="memory-item" data-memory-id={memory.id}>
              <p className="memory-text">{memory.text}</p>
              <Chips items={memory.labels} kind="label" testId="memory-labels" />
              <p className="muted memory-meta">
                Remembered for {nameOf(people, memory.requesterId)}, {shortTime(memory.createdAt)}
              </p>
              <ul className="memory-origin muted" data-testid="memory-origin">
                {describeMemoryOrigin(memory, shortTime).map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
              {memory.deletable ? (
                <button
                  type="button"
                  className="link-button"
                  disabled={busy === memory.id}
                  data-testid="memory-delete"
                  onClick={() => void remove(memory)}
                >
                  Forget
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
