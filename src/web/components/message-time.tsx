import { fullTime, shortTime } from '../format.ts';

/** When a message was posted: the short time, the full one on hover. */
export function MessageTime({ at }: { at: number }) {
  return (
    <time className="message-time" dateTime={new Date(at).toISOString()} title={fullTime(at)}>
      {shortTime(at)}
    </time>
  );
}
