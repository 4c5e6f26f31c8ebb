/** The handle people use to address the agent in a thread. */
export const AGENT_HANDLE = '@agent';

/** True when a message addresses the agent (`@agent` as a whole word, anywhere in the text). */
export function addressesAgent(text: string): boolean {
  return /(^|[^\w@])@agent\b/i.test(text);
}
