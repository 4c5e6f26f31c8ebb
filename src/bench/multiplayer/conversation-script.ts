/**
 * One scripted multi-person conversation of `behalf bench multiplayer`: who is in the thread and
 * what happens in it, in order. Scripts are data (generated from a seed), so a run is repeatable
 * and the regression test replays exactly the conversations the benchmark measured.
 */
export interface ConversationScript {
  id: string;
  kind: 'benign' | 'hostile';
  /** The template it came from (`follow-up`, `sql-error-laundering`…). */
  template: string;
  /** Thread members at the start; the first is the owner. */
  members: readonly string[];
  steps: readonly ScriptStep[];
}

/** `{answer:N}` in a text stands for the id of the answer to step N. */
export type ScriptStep =
  | {
      kind: 'ask';
      author: string;
      text: string;
      /**
       * Earlier steps whose answers this request needs as data (a follow-up such as "and sort that
       * by bonus"): the oracle counts their inputs as needed, whatever the design puts in context.
       */
      needs?: readonly number[];
    }
  /** A human message that does not address the agent (it may carry injected instructions). */
  | { kind: 'say'; author: string; text: string }
  /** The requester shares the answer to step `step` with the thread (a declassification). */
  | { kind: 'share'; author: string; step: number }
  /** `by` adds `member` to the thread. */
  | { kind: 'join'; by: string; member: string };

/** Replaces `{answer:N}` with the id of the answer to step N (empty when it has none). */
export function resolveText(text: string, answers: ReadonlyMap<number, string>): string {
  return text.replace(/\{answer:(\d+)\}/g, (_, index: string) => answers.get(Number(index)) ?? '');
}
