import type { Conversation } from './conversation.ts';
import { mentions, oneLine, salientKeywords, stripAgentMention } from './request-text.ts';

/** Requests for a summary of the conversation itself rather than of a document or data. */
export function asksForThreadSummary(request: string): boolean {
  if (mentions(request, ['catch me up', 'what did i miss', 'what have i missed'])) return true;
  if (!mentions(request, ['summarize', 'summarise', 'summary', 'recap', 'tldr'])) return false;
  // "summarize this" with nothing else named is about the thread; "summarize this document" is not.
  const named = salientKeywords(request).filter((word) => !['recap', 'tldr'].includes(word));
  return mentions(request, ['thread', 'conversation', 'discussion', 'chat', 'so far']) || named.length === 0;
}

const SHOWN_MESSAGES = 8;

/**
 * An extractive summary of the thread as this run may see it (the context is already filtered to
 * what the requester may read, SPEC I4): who took part, how many messages, and the latest ones
 * quoted, one line each. Messages are data: quoted, never obeyed.
 */
export function threadSummary(history: Conversation['history']): string {
  const messages = history
    .map((message) => (message.role === 'user' ? spoken(message.text) : { speaker: 'Agent', text: message.text }))
    .filter((message) => message.text.trim().length > 0);
  if (messages.length === 0)
    return 'There is nothing earlier in this thread that you can see, so there is nothing to summarize yet.';
  const people = [...new Set(messages.map((message) => message.speaker).filter((speaker) => speaker !== 'Agent'))];
  const answers = messages.filter((message) => message.speaker === 'Agent').length;
  const requests = messages.filter((message) => /^\s*@agent\b/i.test(message.text)).length;
  const counts = [
    `${messages.length} ${messages.length === 1 ? 'message' : 'messages'} you can see`,
    people.length > 0 ? `from ${listOf(people)}` : '',
  ]
    .filter(Boolean)
    .join(' ');
  const agentPart =
    requests + answers > 0
      ? ` The agent was asked ${requests} ${requests === 1 ? 'time' : 'times'} and answered ${answers} ${answers === 1 ? 'time' : 'times'}.`
      : '';
  const latest = messages.slice(-SHOWN_MESSAGES).map((message) => `- **${message.speaker}**: ${gist(message.text)}`);
  const heading = messages.length > SHOWN_MESSAGES ? `The latest ${SHOWN_MESSAGES}:` : 'In order:';
  return [`This thread has ${counts}.${agentPart}`, heading, ...latest].join('\n');
}

function spoken(text: string): { speaker: string; text: string } {
  const tagged = /^\[([^\]\n]{1,60})\]\s*([\s\S]*)$/.exec(text);
  return tagged ? { speaker: tagged[1] ?? 'Someone', text: tagged[2] ?? '' } : { speaker: 'Someone', text };
}

// One line per message: a table or quote becomes its first sentence, so the summary stays short.
function gist(text: string): string {
  const request = /^\s*@agent\b/i.test(text) ? `asked the agent: “${stripAgentMention(text)}”` : text;
  const firstLine = request.split('\n').find((line) => line.trim() && !line.trim().startsWith('|')) ?? request;
  return oneLine(firstLine.replace(/^>\s*/, ''), 160);
}

function listOf(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
