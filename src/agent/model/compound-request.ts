import { type ModelPlan, type PlannedCall, plannedCalls } from './model-plan.ts';

// Where one ask ends and the next begins: "list the projects and the salaries", "deals, incidents".
const JOINER = /\s*(?:,\s*(?:and\s+|plus\s+)?|;\s*|\s(?:and|plus|&|as well as|and also)\s)\s*/i;

/**
 * The separate asks a request joins (two or three), or the request alone. Splitting is only a
 * candidate: `compoundPlan` keeps it when every part is an ask of its own.
 */
export function requestParts(request: string): string[] {
  const parts = request
    .split(JOINER)
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
  return parts.length >= 2 && parts.length <= 3 ? parts : [request];
}

/**
 * One step that makes a call for each part of a request joining separate asks ("list the projects
 * and the compensation"), when every part alone plans a call and no two plan the same one. So
 * "revenue in Europe and Asia" stays one question ("Asia" alone asks nothing), and a room sees
 * the part of an answer it is cleared for while the rest stays with the requester (SPEC §13).
 */
export function compoundPlan(
  request: string,
  planPart: (part: string) => ModelPlan | undefined,
): ModelPlan | undefined {
  const parts = requestParts(request);
  if (parts.length < 2) return undefined;
  const calls: PlannedCall[] = [];
  for (const part of parts) {
    const plan = planPart(part);
    if (plan?.kind !== 'call' || plan.alongside?.length) return undefined;
    calls.push(...plannedCalls(plan));
  }
  const distinct = new Set(calls.map((call) => JSON.stringify([call.toolName, call.input])));
  if (distinct.size !== calls.length) return undefined;
  const [first, ...alongside] = calls as [PlannedCall, ...PlannedCall[]];
  return { kind: 'call', ...first, alongside };
}

/**
 * The part of `request` the call with `callIndex` answers, when the calls made for it are one per
 * part; the whole request otherwise (a single call, or a step that saw only some of the results).
 */
export function partAnswered(request: string, callIndex: number, callCount: number): string {
  const parts = requestParts(request);
  return callCount > 1 && parts.length === callCount && callIndex >= 0 ? (parts[callIndex] ?? request) : request;
}
