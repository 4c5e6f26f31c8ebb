import type { Attack, AttackCategory } from './adversarial-types.ts';

/** An attack before it is named: builders produce drafts, `toAttacks` gives them stable ids. */
export interface AttackDraft {
  category: AttackCategory;
  description: string;
  /** Arguments to send as JSON, ignored when `rawInput` is set. */
  input?: unknown;
  /** Exact argument text, for deliberately invalid JSON. */
  rawInput?: string;
  reusePreviousCallId?: boolean;
}

/** Names drafts `tool/category/n` (n counting within the category) and serializes their input. */
export function toAttacks(
  toolName: string,
  drafts: readonly AttackDraft[],
  seen = new Map<string, number>(),
): Attack[] {
  return drafts.map((draft) => {
    const key = `${toolName}/${draft.category}`;
    const index = seen.get(key) ?? 0;
    seen.set(key, index + 1);
    return {
      id: `${key}/${index}`,
      category: draft.category,
      toolName,
      input: draft.rawInput ?? JSON.stringify(draft.input ?? {}),
      description: draft.description,
      ...(draft.reusePreviousCallId ? { reusePreviousCallId: true } : {}),
    };
  });
}
