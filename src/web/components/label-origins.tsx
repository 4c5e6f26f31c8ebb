import type { LabelOriginWire } from '../../protocol/answer-wire.ts';
import { shortTime } from '../format.ts';
import { originsByLabel } from '../label-origins.ts';

/** "Where its labels came from": each label of an answer and the calls, documents or messages behind it. */
export function LabelOrigins({ origins, open = false }: { origins: readonly LabelOriginWire[]; open?: boolean }) {
  if (origins.length === 0) return null;
  return (
    <details className="label-origins" data-testid="label-origins" open={open}>
      <summary className="muted small">Where its labels came from</summary>
      <ul>
        {originsByLabel(origins, (at) => shortTime(at)).map(({ label, phrases }) => (
          <li key={label} data-testid="label-origin" data-label={label}>
            <span className="chip chip-label">{label}</span> from {phrases.join('; ')}
          </li>
        ))}
      </ul>
    </details>
  );
}
