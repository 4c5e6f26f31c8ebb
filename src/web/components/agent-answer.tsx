import { useState } from 'react';
import type { MessageWire, RunStatusWire } from '../../protocol/wire.ts';
import { useApp } from '../app-context.ts';
import { nameOf } from '../format.ts';
import { Avatar } from './avatar.tsx';
import { Chips } from './chips.tsx';
import { LabelOrigins } from './label-origins.tsx';
import { MarkdownView } from './markdown-view.tsx';
import { MessageTime } from './message-time.tsx';
import { PrivateNotice } from './private-notice.tsx';
import { ShareDialog } from './share-dialog.tsx';
import { TracePanel } from './trace-panel.tsx';

interface AgentAnswerProps {
  message: MessageWire;
  runStatus: RunStatusWire | undefined;
  /** A newer version of the message (after sharing), before the live event arrives. */
  onUpdated: (message: MessageWire) => void;
}

/**
 * An agent answer: who the agent acted for, the labels of the data behind it, the answer as
 * Markdown, and for the requester the private-answer notice with Share and the run's trace.
 */
export function AgentAnswer({ message, runStatus, onUpdated }: AgentAnswerProps) {
  const { people, me } = useApp();
  const [sharing, setSharing] = useState(false);
  const isRequester = message.requesterId === me.id;
  const isPrivate = message.audience.kind === 'users';
  return (
    <article
      className={`message message-agent${isPrivate ? ' message-private' : ''}`}
      data-testid="message-item"
      data-message-id={message.id}
      data-kind="agent"
      data-private={isPrivate ? 'true' : 'false'}
      data-requester-id={message.requesterId ?? undefined}
      data-answer-part={message.answerPart}
    >
      <Avatar name="Agent" agent />
      <div className="message-content">
        <header className="message-meta">
          <span className="message-author">Agent</span>
          {message.requesterId ? (
            <span className="on-behalf" data-testid="on-behalf">
              on behalf of {nameOf(people, message.requesterId)}
              {isRequester ? ' (you)' : ''}
            </span>
          ) : null}
          <MessageTime at={message.createdAt} />
          <Chips items={message.labels} kind="label" testId="message-labels" />
        </header>
        {message.answerPart === 'shared' ? (
          <p className="part-note" data-testid="shared-part-note">
            For everyone: built only from data every member may see
            {isRequester ? '; the rest is in your private part' : ''}
          </p>
        ) : null}
        {isPrivate ? (
          <PrivateNotice
            reason={message.privateReason}
            canShare={isRequester}
            onShare={() => setSharing(true)}
            part={message.answerPart === 'private'}
          />
        ) : null}
        {message.sharedBy ? (
          <>
            <p className="shared-note" data-testid="shared-note">
              Shared with the thread by {message.sharedBy === me.id ? 'you' : nameOf(people, message.sharedBy)}
            </p>
            <p className="shared-note" data-testid="shared-readers">
              {`Released to ${message.sharedWith.map((id) => (id === me.id ? 'you' : nameOf(people, id))).join(', ')}; anyone who joins later sees it only if cleared.`}
              {isRequester ? (
                <>
                  {' '}
                  <button
                    type="button"
                    className="link-button"
                    data-testid="share-again"
                    onClick={() => setSharing(true)}
                  >
                    Share again
                  </button>
                </>
              ) : null}
            </p>
          </>
        ) : null}
        <MarkdownView text={message.text} />
        {message.labelOrigins ? <LabelOrigins origins={message.labelOrigins} open={isPrivate && isRequester} /> : null}
        {isRequester && message.runId ? <TracePanel runId={message.runId} runStatus={runStatus} /> : null}
      </div>
      {sharing ? <ShareDialog message={message} onClose={() => setSharing(false)} onShared={onUpdated} /> : null}
    </article>
  );
}
