import type { ThreadWire } from '../../protocol/wire.ts';
import { useApp } from '../app-context.ts';
import { nameOf } from '../format.ts';
import { Icon } from './icon.tsx';

interface ThreadHeaderProps {
  thread: ThreadWire;
  membersOpen: boolean;
  onToggleMembers: () => void;
  /** Narrow layout: opens the thread list's drawer (null when the list is docked). */
  onOpenThreads: (() => void) | null;
}

/** Title, owner, member count, authorization mode, and the members panel toggle. */
export function ThreadHeader({ thread, membersOpen, onToggleMembers, onOpenThreads }: ThreadHeaderProps) {
  const { people } = useApp();
  const count = thread.members?.length ?? 0;
  return (
    <header className="thread-header">
      {onOpenThreads ? (
        <button
          type="button"
          className="icon-button threads-toggle"
          aria-label="Threads"
          aria-haspopup="dialog"
          onClick={onOpenThreads}
          data-testid="threads-toggle"
        >
          <Icon name="list" />
        </button>
      ) : null}
      <div className="thread-header-text">
        <h1 data-testid="thread-title">{thread.title}</h1>
        <p className="muted thread-header-meta">
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
          <Icon name="people" className="members-toggle-icon" />
          <span className="members-toggle-text">{membersOpen ? 'Hide members' : 'Members'}</span>
        </button>
      </div>
    </header>
  );
}
