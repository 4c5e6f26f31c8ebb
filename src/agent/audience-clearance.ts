import type { UserId } from '../identity/types.ts';
import type { VisibilityChecker } from '../threads/visibility.ts';
import { type AnswerInput, returnedData } from './answer-inputs.ts';

/** The inputs of an answer, split by whether every current member is cleared for them. */
export interface InputClearance {
  /** Inputs that returned data every member is cleared for, label by label. */
  cleared: AnswerInput[];
  /** Everything else: data some member is not cleared for, refusals, errors. */
  withheld: AnswerInput[];
}

/**
 * Decides, input by input, which inputs of an answer every current member of the thread is cleared
 * for (issue 10 point 3), asking the policy engine for each member now (I3). Fails closed: an input
 * without labels, labelled `unclassified`, or whose decision throws is withheld. Only inputs that
 * returned data can be cleared (see `returnedData`).
 */
export async function clearInputsForAudience(input: {
  inputs: readonly AnswerInput[];
  members: readonly UserId[];
  visibility: VisibilityChecker;
}): Promise<InputClearance> {
  const cleared: AnswerInput[] = [];
  const withheld: AnswerInput[] = [];
  // Decided once per distinct set of labels: the same question at the same moment has one answer.
  const decided = new Map<string, Promise<boolean>>();
  for (const candidate of input.inputs) {
    const key = [...new Set(candidate.labels)].sort().join('\u0000');
    let everyone = decided.get(key);
    if (!everyone && returnedData(candidate)) {
      everyone = everyoneCleared(candidate.labels, input.members, input.visibility);
      decided.set(key, everyone);
    }
    const ok = returnedData(candidate) && (await everyone) === true;
    (ok ? cleared : withheld).push(candidate);
  }
  return { cleared, withheld };
}

async function everyoneCleared(
  labels: readonly string[],
  members: readonly UserId[],
  visibility: VisibilityChecker,
): Promise<boolean> {
  if (labels.length === 0 || labels.includes('unclassified') || members.length === 0) return false;
  try {
    const clearances = await Promise.all(members.map((member) => visibility.clearance(member, labels)));
    return clearances.every((clearance) => clearance.cleared);
  } catch {
    return false;
  }
}
