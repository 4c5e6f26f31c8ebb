import { describe, expect, it } from 'vitest';
import { applyCompletion, mentionCompletion } from './mention.ts';

describe('mentionCompletion', () => {
  it('offers @agent for @ and its prefixes at a word start', () => {
    expect(mentionCompletion('@', 1)).toEqual({ start: 0, end: 1, replacement: '@agent ' });
    expect(mentionCompletion('hi @Ag', 6)).toEqual({ start: 3, end: 6, replacement: '@agent ' });
  });

  it('does not offer it inside words, for other names or once complete', () => {
    expect(mentionCompletion('bob@corp', 4)).toBeNull();
    expect(mentionCompletion('@bob', 4)).toBeNull();
    expect(mentionCompletion('@agent', 6)).toBeNull();
    expect(mentionCompletion('@ag later', 9)).toBeNull();
  });

  it('completes in the middle of the text and puts the caret after the mention', () => {
    const text = 'hey @a what are the deals';
    const completion = mentionCompletion(text, 6);
    expect(completion).not.toBeNull();
    expect(applyCompletion(text, completion!)).toEqual({ text: 'hey @agent  what are the deals', caret: 11 });
  });
});
