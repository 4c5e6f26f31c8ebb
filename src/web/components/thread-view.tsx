import { useCallback, useEffect, useRef, useState } from 'react';
import type { PostMessageResponse, ThreadWire } from '../../protocol/wire.ts';
import { activeRuns } from '../thread-state.ts';
import { useThread } from '../use-thread.ts';
import { AgentStatus } from './agent-status.tsx';
import { Composer } from './composer.tsx';
import { Drawer } from './drawer.tsx';
import { MemberPanelsStack } from './member-panels-stack.tsx';
import { MessageList } from './message-list.tsx';
import { ThreadHeader } from './thread-header.tsx';

interface ThreadViewProps {
  threadId: string;
  onThreadChanged: (thread: ThreadWire) => void;
  onLeft: (threadId: string, notice: string) => void;
  /** The narrow layout: the members panel is a drawer, closed until asked for. */
  narrow: boolean;
  /** Opens the thread list's drawer (narrow layout). */
  onOpenThreads: () => void;
}

/** One live thread: header, messages with approvals and streaming answers, composer, members. */
export function ThreadView({ threadId, onThreadChanged, onLeft, narrow, onOpenThreads }: ThreadViewProps) {
  const leave = useCallback((notice: string) => onLeft(threadId, notice), [threadId, onLeft]);
  const { thread, setThread, state, dispatch } = useThread(threadId, leave);
  const [membersOpen, setMembersOpen] = useState(!narrow);
  // Docked on wide windows, a closed drawer on narrow ones, whenever the layout switches.
  useEffect(() => setMembersOpen(!narrow), [narrow]);
  const composer = useRef<HTMLTextAreaElement>(null);
  const focusComposer = useCallback(() => composer.current?.focus(), []);

  useEffect(() => {
    if (thread) onThreadChanged(thread);
  }, [thread, onThreadChanged]);

  // The response arrives before (or instead of) the WebSocket echo; upserting by id makes both safe.
  const onPosted = useCallback(
    (response: PostMessageResponse) => {
      dispatch({ type: 'frame', frame: { type: 'message-created', threadId, message: response.message } });
      const run = response.run;
      if (run) {
        const { id, requesterId, status, answerMessageId } = run;
        dispatch({
          type: 'frame',
          frame: { type: 'run-updated', threadId, run: { id, requesterId, status, answerMessageId } },
        });
      }
    },
    [dispatch, threadId],
  );

  if (!thread) {
    return (
      <div className="thread-loading muted" aria-busy="true">
        Loading thread…
      </div>
    );
  }
  return (
    <div className="thread-view" data-testid="thread-view" data-thread-id={thread.id}>
      <div className="thread-main">
        <ThreadHeader
          thread={thread}
          membersOpen={membersOpen}
          onToggleMembers={() => setMembersOpen((open) => !open)}
          onOpenThreads={narrow ? onOpenThreads : null}
        />
        <MessageList state={state} dispatch={dispatch} onCaughtUp={focusComposer} />
        <div className="thread-footer">
          <AgentStatus runs={activeRuns(state)} />
          <Composer threadId={thread.id} onPosted={onPosted} inputRef={composer} />
        </div>
      </div>
      <Drawer
        modal={narrow}
        open={membersOpen}
        onClose={() => setMembersOpen(false)}
        side="right"
        label="Members"
        testId="members-drawer"
      >
        {membersOpen ? <MemberPanelsStack thread={thread} onChanged={setThread} state={state} /> : null}
      </Drawer>
    </div>
  );
}
