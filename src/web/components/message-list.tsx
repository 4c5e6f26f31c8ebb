import { type Dispatch, useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { MessageWire } from '../../protocol/wire.ts';
import { useApp } from '../app-context.ts';
import { countUnseen, hasOwnAfter, latestSeq } from '../new-messages.ts';
import type { ThreadAction, ThreadState } from '../thread-state.ts';
import { ApprovalCard } from './approval-card.tsx';
import { DraftAnswer } from './draft-answer.tsx';
import { Icon } from './icon.tsx';
import { MessageItem } from './message-item.tsx';

/** How close to the bottom (px) still counts as "at the bottom", following new content. */
const PIN_SLACK = 80;

interface MessageListProps {
  state: ThreadState;
  dispatch: Dispatch<ThreadAction>;
  /** The reader jumped to the newest messages with the cue: focus goes back to the composer. */
  onCaughtUp?: () => void;
}

/**
 * The scrolling body of a thread: messages in order, then streaming drafts and approval cards.
 * It follows new content while the reader is at the bottom; reading further up, it stays put and
 * shows a "New messages" button (announced politely) that jumps down. The reader's own message
 * always brings them to the bottom.
 */
export function MessageList({ state, dispatch, onCaughtUp }: MessageListProps) {
  const { me } = useApp();
  const scroller = useRef<HTMLElement>(null);
  const pinned = useRef(true);
  const [atBottom, setAtBottom] = useState(true);
  // The newest item the reader has had in view at the bottom.
  const [seenSeq, setSeenSeq] = useState(-1);
  const newest = latestSeq(state.messages);

  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    if (!pinned.current && hasOwnAfter(state.messages, seenSeq, me.id)) {
      pinned.current = true;
      setAtBottom(true);
    }
    if (pinned.current) element.scrollTop = element.scrollHeight;
  });
  useEffect(() => {
    if (atBottom) setSeenSeq(newest);
  }, [atBottom, newest]);
  useEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const onScroll = () => {
      pinned.current = element.scrollHeight - element.scrollTop - element.clientHeight < PIN_SLACK;
      setAtBottom(pinned.current);
    };
    element.addEventListener('scroll', onScroll, { passive: true });
    return () => element.removeEventListener('scroll', onScroll);
  }, []);

  const unseen = atBottom ? 0 : countUnseen(state.messages, seenSeq, me.id);
  const jumpDown = () => {
    const element = scroller.current;
    pinned.current = true;
    setAtBottom(true);
    if (element) element.scrollTop = element.scrollHeight;
    onCaughtUp?.();
  };

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
    <div className="message-pane">
      {/* Focusable, so the history scrolls with the arrow keys and Page Up/Down. */}
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard */}
      <section className="message-scroller" ref={scroller} tabIndex={0} aria-label="Thread messages">
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
      </section>
      <p className="sr-only" aria-live="polite">
        {unseen > 0 ? `${unseen} new ${unseen === 1 ? 'message' : 'messages'} below` : ''}
      </p>
      {unseen > 0 ? (
        <button
          type="button"
          className="new-messages"
          data-testid="new-messages"
          data-count={unseen}
          onClick={jumpDown}
        >
          <Icon name="arrow-down" />
          {unseen} new {unseen === 1 ? 'message' : 'messages'}
        </button>
      ) : null}
    </div>
  );
}
