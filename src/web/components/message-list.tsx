import { type Dispatch, useCallback, useEffect, useLayoutEffect, useRef } from 'react';
import type { MessageWire } from '../../protocol/wire.ts';
import { useApp } from '../app-context.ts';
import type { ThreadAction, ThreadState } from '../thread-state.ts';
import { ApprovalCard } from './approval-card.tsx';
import { DraftAnswer } from './draft-answer.tsx';
import { MessageItem } from './message-item.tsx';

/** The scrolling body of a thread: messages in order, then streaming drafts and approval cards. */
export function MessageList({ state, dispatch }: { state: ThreadState; dispatch: Dispatch<ThreadAction> }) {
  const { me } = useApp();
  const scroller = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);

  // Follow new content only while the reader is at the bottom, so reading history is not disturbed.
  useLayoutEffect(() => {
    const element = scroller.current;
    if (element && pinned.current) element.scrollTop = element.scrollHeight;
  });
  useEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const onScroll = () => {
      pinned.current = element.scrollHeight - element.scrollTop - element.clientHeight < 80;
    };
    element.addEventListener('scroll', onScroll, { passive: true });
    return () => element.removeEventListener('scroll', onScroll);
  }, []);

  const onUpdated = useCallback(
    (message: MessageWire) =>
      dispatch({ type: 'frame', frame: { type: 'message-created', threadId: message.threadId, message } }),
    [dispatch],
  );

  const drafts = Object.entries(state.drafts).filter(([runId]) => {
    const run = state.runs[runId];
    return !run || run.requesterId === me.id;
  });

  return (
    <div className="message-scroller" ref={scroller}>
      <ol className="message-list" aria-label="Messages" data-testid="message-list">
        {state.messages.length === 0 ? (
          <li className="empty-thread muted">No messages yet. Say hello, or ask the agent with @agent.</li>
        ) : null}
        {state.messages.map((message) => (
          <li key={message.id}>
            <MessageItem
              message={message}
              runStatus={!message.hidden && message.runId ? state.runs[message.runId]?.status : undefined}
              onUpdated={onUpdated}
            />
          </li>
        ))}
        {drafts.map(([runId, text]) => (
          <li key={`draft-${runId}`}>
            <DraftAnswer runId={runId} text={text} />
          </li>
        ))}
        {state.approvals.map((approval) => (
          <li key={approval.id}>
            <ApprovalCard
              approval={approval}
              onDecided={() => dispatch({ type: 'approval-decided', approvalId: approval.id })}
            />
          </li>
        ))}
      </ol>
    </div>
  );
}
