import { useCallback, useEffect, useState } from 'react';
import type { ThreadWire } from '../../protocol/wire.ts';
import { useApp } from '../app-context.ts';
import { threadPath } from '../router.ts';
import { withoutThread, withThread } from '../thread-list-state.ts';
import { NARROW_QUERY, useMediaQuery } from '../use-media-query.ts';
import { Drawer } from './drawer.tsx';
import { NewThreadDialog } from './new-thread-dialog.tsx';
import { ThreadList } from './thread-list.tsx';
import { ThreadView } from './thread-view.tsx';

/**
 * Threads: the list on the left, the open thread on the right. Opens the first thread by default.
 * On narrow windows the list is a drawer, opened from the thread's header. The list follows the
 * reader's membership live: `thread-added` and `thread-removed` reach every socket of theirs, and
 * it is reloaded after a reconnect and when the window regains focus.
 */
export function ThreadsPage({ threadId }: { threadId: string | null }) {
  const { api, realtime, notify, navigate } = useApp();
  const [threads, setThreads] = useState<ThreadWire[] | null>(null);
  const [creating, setCreating] = useState(false);
  const narrow = useMediaQuery(NARROW_QUERY);
  const [listOpen, setListOpen] = useState(false);
  // Opening a thread (or leaving the narrow layout) closes the drawer.
  // biome-ignore lint/correctness/useExhaustiveDependencies: threadId and narrow are the triggers
  useEffect(() => setListOpen(false), [threadId, narrow]);

  const load = useCallback(() => {
    api.threads().then(setThreads, (error: unknown) => {
      notify(error);
      setThreads((current) => current ?? []);
    });
  }, [api, notify]);

  useEffect(() => {
    load();
    addEventListener('focus', load);
    const offStatus = realtime.onStatus((_status, reconnected) => reconnected && load());
    return () => {
      removeEventListener('focus', load);
      offStatus();
    };
  }, [load, realtime]);

  useEffect(
    () =>
      realtime.onFrame((frame) => {
        if (frame.type === 'thread-removed') {
          setThreads((current) => withoutThread(current, frame.threadId));
        } else if (frame.type === 'thread-added') {
          // The frame carries the id only; the thread is read over HTTP, authorized as always.
          api.thread(frame.threadId).then(
            (thread) => {
              setThreads((current) => withThread(current, thread));
              notify(`You were added to “${thread.title}”.`, 'info');
            },
            () => {},
          );
        }
      }),
    [api, realtime, notify],
  );

  useEffect(() => {
    const first = threads?.[0];
    if (!threadId && first) navigate(threadPath(first.id), { replace: true });
  }, [threadId, threads, navigate]);

  const onThreadChanged = useCallback((thread: ThreadWire) => {
    setThreads((current) => current?.map((item) => (item.id === thread.id ? { ...item, ...thread } : item)) ?? null);
  }, []);

  const onLeft = useCallback(
    (left: string, notice: string) => {
      notify(notice, 'info');
      setThreads((current) => current?.filter((item) => item.id !== left) ?? null);
      navigate('/', { replace: true });
    },
    [notify, navigate],
  );

  const onCreated = (thread: ThreadWire) => {
    setCreating(false);
    setThreads((current) => [thread, ...(current ?? []).filter((item) => item.id !== thread.id)]);
    navigate(threadPath(thread.id));
  };

  return (
    <div className="threads-page">
      <Drawer
        modal={narrow}
        open={listOpen}
        onClose={() => setListOpen(false)}
        side="left"
        label="Threads"
        testId="threads-drawer"
      >
        <aside className="sidebar" aria-label="Threads">
          <div className="sidebar-header">
            <h2>Threads</h2>
            <button
              type="button"
              className="button button-primary button-small"
              data-testid="new-thread"
              onClick={() => setCreating(true)}
            >
              New thread
            </button>
          </div>
          <ThreadList threads={threads} selectedId={threadId} />
        </aside>
      </Drawer>
      <section className="thread-area">
        {threadId ? (
          <ThreadView
            key={threadId}
            threadId={threadId}
            onThreadChanged={onThreadChanged}
            onLeft={onLeft}
            narrow={narrow}
            onOpenThreads={() => setListOpen(true)}
          />
        ) : threads && threads.length === 0 ? (
          <div className="empty-state">
            <h2>No threads yet</h2>
            <p className="muted">Start a thread with your colleagues and ask the agent with @agent.</p>
            <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
              New thread
            </button>
          </div>
        ) : null}
      </section>
      {creating ? <NewThreadDialog onClose={() => setCreating(false)} onCreated={onCreated} /> : null}
    </div>
  );
}
