import type { ThreadWire } from '../../protocol/wire.ts';
import { useApp } from '../app-context.ts';
import { nameOf } from '../format.ts';

interface ThreadHeaderProps {
  thread: ThreadWire;
  membersOpen: boolean;
  onToggleMembers: () => void;
}

/** Title, owner, member count, authorization mode, and the members panel toggle. */
export function ThreadHeader({ thread, membersOpen, onToggleMembers }: ThreadHeaderProps) {
  const { people } = useApp();
  const count = thread.members?.length ?? 0;
  return (
    <header className="thread-header">
      <div className="thread-header-text">
        <h1 data-testid="thread-title">{thread.title}</h1>
        <p className="muted">
          Owner {nameOf(people, thread.ownerId)} · {count} {count === 1 ? 'person' : 'people'} and the agent
        </p>
      </div>
      <div className="thread-header-actions">
        <span
          className={`badge ${thread.mode === 'self' ? 'badge-warn' : 'badge-ok'}`}
          data-testid="thread-mode"
          data-mode={thread.mode}
          title={
            thread.mode === 'self'
              ? 'The agent uses its own identity and groups in this thread'
              : 'The agent acts with the permissions of whoever asks'
          }
        >
          {thread.mode === 'self' ? 'Self-authorized agent' : 'User-authorized agent'}
        </span>
        <button
          type="button"
          className="button button-small"
          aria-expanded={membersOpen}
          onClick={onToggleMembers}
          data-testid="members-toggle"
        >
          {membersOpen ? 'Hide members' : 'Members'}
        </button>
      </div>
    </header>
  );
}
