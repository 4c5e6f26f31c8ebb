import { describeLabelOrigin } from '../agent/label-origins.ts';
import type { LabelOriginWire } from '../protocol/answer-wire.ts';

/**
 * An answer's label origins grouped by label, in words with local times: `hr-confidential` →
 * ["the `compensation` rows of the sql call at 10:02"]. The same wording as the server's private
 * notice (`describeLabelOrigin`), which shows UTC times.
 */
export function originsByLabel(
  origins: readonly LabelOriginWire[],
  time: (at: number) => string,
): Array<{ label: string; phrases: string[] }> {
  const byLabel = new Map<string, string[]>();
  for (const origin of origins) {
    const phrases = byLabel.get(origin.label) ?? [];
    // The server's wording marks names with Markdown backticks; here they are plain text.
    const phrase = describeLabelOrigin(origin, time).replaceAll('`', '');
    if (!phrases.includes(phrase)) phrases.push(phrase);
    byLabel.set(origin.label, phrases);
  }
  return [...byLabel].map(([label, phrases]) => ({ label, phrases }));
}
