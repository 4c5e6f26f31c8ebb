/**
 * What the offline model decided for one step: call one tool, or answer in plain text. Routing,
 * directives and follow-ups all produce a plan; the model turns it into spec output.
 */
export type ModelPlan =
  | { kind: 'call'; toolName: string; input: Record<string, unknown> }
  | { kind: 'answer'; text: string };

/** A plan to call `toolName` with `input`. */
export function callPlan(toolName: string, input: Record<string, unknown>): ModelPlan {
  return { kind: 'call', toolName, input };
}

/** A plan to answer with `text` and call nothing. */
export function answerPlan(text: string): ModelPlan {
  return { kind: 'answer', text };
}
