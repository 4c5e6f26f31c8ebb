import { Avatar } from './avatar.tsx';
import { MarkdownView } from './markdown-view.tsx';

/** The requester's own answer while it streams, before the disclosure decision picks its audience. */
export function DraftAnswer({ runId, text }: { runId: string; text: string }) {
  return (
    <article
      className="message message-agent message-draft"
      data-testid="answer-draft"
      data-run-id={runId}
      aria-busy="true"
    >
      <Avatar name="Agent" agent />
      <div className="message-content">
        <header className="message-meta">
          <span className="message-author">Agent</span>
          <span className="on-behalf">writing for you · visible only to you until it is finished</span>
        </header>
        <MarkdownView text={text} />
        <span className="typing-cursor" aria-hidden="true" />
      </div>
    </article>
  );
}
