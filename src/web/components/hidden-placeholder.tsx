import type { HiddenMessageWire } from '../../protocol/wire.ts';
import { useApp } from '../app-context.ts';
import { fullTime, nameOf, shortTime } from '../format.ts';
import { Icon } from './icon.tsx';

/** What a reader sees instead of an item they may not read: who and when, and why it is hidden. */
export function HiddenPlaceholder({ item }: { item: HiddenMessageWire }) {
  const { people } = useApp();
  const who =
    item.kind === 'agent'
      ? `Agent answer${item.requesterId ? ` for ${nameOf(people, item.requesterId)}` : ''}`
      : `Message from ${nameOf(people, item.authorId)}`;
  return (
    <div className="placeholder" data-testid="hidden-placeholder" data-message-id={item.id} data-kind={item.kind}>
      <Icon name="eye-off" className="placeholder-icon" />
      <span className="placeholder-text">
        <span className="placeholder-who">{who} — hidden</span>
        <span className="placeholder-reason" data-testid="hidden-reason">
          {item.reason}
        </span>
      </span>
      <time className="message-time" title={fullTime(item.createdAt)}>
        {shortTime(item.createdAt)}
      </time>
    </div>
  );
}
