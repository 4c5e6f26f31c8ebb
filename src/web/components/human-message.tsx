import type { MessageWire } from '../../protocol/wire.ts';
import { useApp } from '../app-context.ts';
import { nameOf } from '../format.ts';
import { Avatar } from './avatar.tsx';
import { MessageTime } from './message-time.tsx';

/** A message written by a person (or a system note), with `@agent` highlighted. */
export function HumanMessage({ message }: { message: MessageWire }) {
  const { people, me } = useApp();
  const name = message.kind === 'system' ? 'Behalf' : nameOf(people, message.authorId);
  return (
    <article
      className={`message message-${message.kind}${message.authorId === me.id ? ' message-mine' : ''}`}
      data-testid="message-item"
      data-message-id={message.id}
      data-kind={message.kind}
      data-author-id={message.authorId ?? undefined}
    >
      <Avatar name={name} />
      <div className="message-content">
        <header className="message-meta">
          <span className="message-author">{name}</span>
          <MessageTime at={message.createdAt} />
        </header>
        <p className="message-text">{withMentions(message.text)}</p>
      </div>
    </article>
  );
}

function withMentions(text: string) {
  return text.split(/(@agent\b)/i).map((part, index) =>
    index % 2 === 1 ? (
      // biome-ignore lint/suspicious/noArrayIndexKey: the split parts never reorder
      <span key={index} className="mention">
        {part}
      </span>
    ) : (
      part
    ),
  );
}
