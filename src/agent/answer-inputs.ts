import type { ToolResultEnvelope } from '../tools/types.ts';

/**
 * One input of an answer: a tool call of the run and what it returned, kept in memory for the
 * run's answer step only (never stored: the gateway's audit record holds its hash). The split of
 * a split-audience answer (issue 10 point 3) is decided on these, input by input.
 */
export interface AnswerInput {
  /** The gateway's call id (`<run>:<model's id>`). */
  callId: string;
  /** The id the model gave the call, to replay it to the shared step. */
  toolCallId: string;
  tool: string;
  args: unknown;
  envelope: ToolResultEnvelope;
  /** What the call read or tried to read (never fewer than its envelope shows, I5). */
  labels: string[];
  at: number;
}

/**
 * Whether an input returned data: a successful call with labels. Refusals, invalid arguments,
 * errors and timeouts never make a shared part on their own (the thread would get an answer about
 * nothing but the requester's failed calls).
 */
export function returnedData(input: AnswerInput): boolean {
  return input.envelope.ok && input.labels.length > 0;
}
