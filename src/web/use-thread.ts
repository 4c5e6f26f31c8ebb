import { type Dispatch, useCallback, useEffect, useReducer, useRef, useState } from 'react';
import type { ThreadWire } from '../protocol/wire.ts';
import { ApiError } from './api.ts';
import { useApp } from './app-context.ts';
import {
  activeRuns,
  emptyThreadState,
  type RunState,
  type ThreadAction,
  type ThreadState,
  threadReducer,
} from './thread-state.ts';

/** What the live thread view works with. */
export interface LiveThread {
  thread: ThreadWire | null;
  setThread: (thread: ThreadWire) => void;
  state: ThreadState;
  dispatch: Dispatch<ThreadAction>;
}

/**
 * Loads a thread with its messages and the reader's pending approvals, subscribes to its live
 * events, and refetches after every reconnect (frames sent while offline are not replayed).
 * `onLeft` runs when the reader is removed from the thread or may no longer open it.
 *
 * Runs still shown as in progress are re-read (`GET /api/runs/:id`) after a reconnect and when
 * the window regains focus, so a status frame missed while offline never leaves a spinner
 * behind (issue 11.3); the reducer merges every report so late ones never move a run backwards.
 */
export function useThread(threadId: string, onLeft: (notice: string) => void): LiveThread {
  const { api, realtime, me, notify } = useApp();
  const [thread, setThread] = useState<ThreadWire | null>(null);
  const [state, dispatch] = useReducer(threadReducer, emptyThreadState);
  // The removal notice names the thread; a ref, so the subscription does not restart on renames.
  const title = useRef<string | null>(null);
  title.current = thread?.title ?? null;
  const current = useRef(state);
  current.current = state;

  const reconcileRuns = useCallback(async () => {
    const ids = activeRuns(current.current).map((run) => run.id);
    if (ids.length === 0) return;
    const runs: RunState[] = [];
    const missing: string[] = [];
    await Promise.all(
      ids.map((id) =>
        api.run(id).then(
          ({ requesterId, status, answerMessageId }) => void runs.push({ id, requesterId, status, answerMessageId }),
          (error: unknown) => {
            // Gone, or no longer ours to see; anything else is transient and retried next time.
            if (error instanceof ApiError && (error.status === 403 || error.status === 404)) missing.push(id);
          },
        ),
      ),
    );
    dispatch({ type: 'runs-loaded', runs, missing });
  }, [api]);

  const load = useCallback(async () => {
    try {
      const [loaded, messages, approvals] = await Promise.all([
        api.thread(threadId),
        api.messages(threadId),
        api.approvals(threadId).catch(() => []),
      ]);
      setThread(loaded);
      dispatch({ type: 'messages-loaded', messages });
      dispatch({ type: 'approvals-loaded', approvals });
    } catch (error) {
      // Not found or forbidden: the reader is not (or no longer) a member. Anything else is
      // transient, so the view stays and says so.
      if (error instanceof ApiError && (error.status === 403 || error.status === 404)) onLeft(error.message);
      else notify(error);
    }
  }, [api, threadId, onLeft, notify]);

  useEffect(() => {
    void load();
    realtime.subscribe(threadId);
    const offFrame = realtime.onFrame((frame) => {
      if (!('threadId' in frame) || frame.threadId !== threadId) return;
      switch (frame.type) {
        case 'thread-updated':
          setThread((current) => ({ ...frame.thread, members: frame.thread.members ?? current?.members ?? [] }));
          return;
        case 'member-added':
          setThread(
            (current) => current && { ...current, members: [...new Set([...(current.members ?? []), frame.userId])] },
          );
          return;
        case 'member-removed':
          if (frame.userId === me.id) {
            onLeft(`You were removed from “${title.current ?? 'this thread'}”.`);
            return;
          }
          setThread(
            (current) =>
              current && { ...current, members: (current.members ?? []).filter((id) => id !== frame.userId) },
          );
          return;
        case 'error':
          notify(frame.error.message);
          return;
        default:
          dispatch({ type: 'frame', frame });
      }
    });
    const offStatus = realtime.onStatus((_status, reconnected) => {
      if (reconnected) void load().then(reconcileRuns);
    });
    const onFocus = () => void reconcileRuns();
    addEventListener('focus', onFocus);
    return () => {
      offFrame();
      offStatus();
      removeEventListener('focus', onFocus);
      realtime.unsubscribe(threadId);
    };
  }, [threadId, realtime, me.id, load, reconcileRuns, onLeft, notify]);

  return { thread, setThread, state, dispatch };
}
