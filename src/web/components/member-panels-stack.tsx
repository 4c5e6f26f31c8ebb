import type { ThreadWire } from '../../protocol/wire.ts';
import type { ThreadState } from '../thread-state.ts';
import { MembersPanel } from './members-panel.tsx';
import { MemoryPanel } from './memory-panel.tsx';

/** The thread's side panel: its members, then what the agent remembered there. */
export function MemberPanelsStack({
  thread,
  onChanged,
  state,
}: {
  thread: ThreadWire;
  onChanged: (thread: ThreadWire) => void;
  state: ThreadState;
}) {
  // Memories are written by runs: reload when a run changes status.
  const version = Object.values(state.runs)
    .map((run) => `${run.id}:${run.status}`)
    .join(',');
  return (
    <div className="side-panels">
      <MembersPanel thread={thread} onChanged={onChanged} />
      <MemoryPanel threadId={thread.id} version={version} />
    </div>
  );
}
