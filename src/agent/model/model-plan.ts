/** One tool call the offline model plans. */
export interface PlannedCall {
  toolName: string;
  input: Record<string, unknown>;
}

/**
 * What the offline model decided for one step: call one tool (and, for a request that joins
 * separate asks, the others `alongside` it in the same step), or answer in plain text. Routing,
 * directives and follow-ups all produce a plan; the model turns it into spec output.
 */
export type ModelPlan = ({ kind: 'call'; alongside?: PlannedCall[] } & PlannedCall) | { kind: 'answer'; text: string };

/** A plan to call `toolName` with `input`. */
export function callPlan(toolName: string, input: Record<string, unknown>): ModelPlan {
  return { kind: 'call', toolName, input };
}

/** A plan to answer with `text` and call nothing. */
export function answerPlan(text: string): ModelPlan {
  return { kind: 'answer', text };
}

/** Every call a plan makes, in order. */
export function plannedCalls(plan: ModelPlan): PlannedCall[] {
  return plan.kind === 'call' ? [{ toolName: plan.toolName, input: plan.input }, ...(plan.alongside ?? [])] : [];
}
