import type { ThreadWire } from '../../protocol/wire.ts';
import { useApp } from '../app-context.ts';
import { nameOf } from '../format.ts';
import { threadPath } from '../router.ts';
import { Link } from './link.tsx';

/** The caller's threads as links, the open one highlighted. */
export function ThreadList({ threads, selectedId }: { threads: ThreadWire[] | null; selectedId: string | null }) {
  const { people } = useApp();
  if (threads === null)
    return (
      <p className="sidebar-note muted" aria-busy="true">
        Loading…
      </p>
    );
  if (threads.length === 0) return <p className="sidebar-note muted">You are not in any thread yet.</p>;
  return (
    <ul className="thread-list">
      {threads.map((thread) => (
        <li key={thread.id}>
          <Link
            to={threadPath(thread.id)}
            className={`thread-item${thread.id === selectedId ? ' selected' : ''}`}
            current={thread.id === selectedId}
            testId="thread-item"
            data-thread-id={thread.id}
          >
            <span className="thread-item-title">{thread.title}</span>
            <span className="thread-item-meta">
              {thread.mode === 'self' ? <span className="badge badge-warn">self</span> : null}
              <span>Owner {nameOf(people, thread.ownerId)}</span>
            </span>
          </Link>
        </li>
      ))}
    </ul>
  );
}
