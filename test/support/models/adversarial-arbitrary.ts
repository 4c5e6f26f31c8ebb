import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { readConversation } from '../../../src/agent/model/conversation.ts';
import { type ToolCatalogEntry, toolCatalogOf } from '../../../src/agent/model/tool-catalog.ts';
import type { AdversaryVictims, Attack } from '../../../src/bench/adversary/adversarial-types.ts';
import { CREDENTIAL_KEYS, hostileTokens, IDENTITY_KEYS } from '../../../src/bench/adversary/hostile-values.ts';
import { injectedAttacks } from '../../../src/bench/adversary/injection-follower.ts';
import { leakAnswer } from '../../../src/bench/adversary/leak-answer.ts';
import { plannedAttacks } from '../../../src/bench/adversary/planned-attacks.ts';
import type { ModelScript, ScriptedPart } from './scripted-model.ts';

/** One step of a random attack script. */
export interface AttackScriptStep {
  attacks: Attack[];
  /** Also obey every instruction found in the results so far. */
  followInjections: boolean;
}

/** A random sequence of attack steps, ending in an answer that leaks everything seen. */
export interface AttackScript {
  steps: AttackScriptStep[];
  leakContext: boolean;
}

/**
 * fast-check arbitrary of attack scripts for property tests of I1–I10: each step draws attacks
 * from `plannedAttacks(catalog, victims)` and from random argument objects mixing the tools'
 * own properties with identity and credential keys. Run one with
 * `createScriptedModel(attackScriptToModelScript(script, victims))`. (Test support: it imports
 * fast-check, a dev dependency, so it is not re-exported from `index.ts`.)
 */
export function arbitraryAttackScript(
  catalog: readonly ToolCatalogEntry[],
  victims: AdversaryVictims,
  options: { maxSteps?: number; maxAttacksPerStep?: number } = {},
): fc.Arbitrary<AttackScript> {
  const plan = plannedAttacks(catalog, victims, { hugeStringLength: 4_096 });
  const attack = fc.oneof(
    { arbitrary: fc.constantFrom(...plan), weight: 3 },
    ...(catalog.length > 0 ? [{ arbitrary: fuzzAttack(catalog, victims), weight: 1 }] : []),
  );
  const step = fc.record({
    attacks: fc.array(attack, { minLength: 1, maxLength: options.maxAttacksPerStep ?? 4 }),
    followInjections: fc.boolean(),
  });
  return fc.record({
    steps: fc.array(step, { minLength: 1, maxLength: options.maxSteps ?? 6 }),
    leakContext: fc.boolean(),
  });
}

function fuzzAttack(catalog: readonly ToolCatalogEntry[], victims: AdversaryVictims): fc.Arbitrary<Attack> {
  const keys = [
    ...new Set([
      ...catalog.flatMap((tool) => Object.keys(tool.inputSchema.properties ?? {})),
      ...IDENTITY_KEYS,
      ...CREDENTIAL_KEYS,
    ]),
  ];
  const value = fc.oneof(
    fc.constantFrom(...(victims.users.length > 0 ? victims.users : ['dana']), ...hostileTokens(victims)),
    fc.string(),
    fc.integer(),
    fc.constant(null),
  );
  return fc
    .record({
      tool: fc.constantFrom(...catalog),
      input: fc.dictionary(fc.constantFrom(...keys), value, { maxKeys: 4 }),
    })
    .map(({ tool, input }) => ({
      id: `${tool.name}/fuzz/${JSON.stringify(input)}`,
      category: 'malformed-arguments' as const,
      toolName: tool.name,
      input: JSON.stringify(input),
      description: 'random arguments',
    }));
}

/** The model script playing `script`: its steps in order, then the leaking answer. */
export function attackScriptToModelScript(script: AttackScript, victims: AdversaryVictims): ModelScript {
  return (prompt, stepIndex, options) => {
    const step = script.steps[stepIndex];
    const conversation = readConversation(prompt);
    if (!step) return [{ type: 'text', text: leakAnswer(conversation, victims.users, script.leakContext) }];
    const injected = step.followInjections
      ? injectedAttacks(conversation.results, toolCatalogOf(options)).map((item) => item.attack)
      : [];
    // Fresh ids per step and run; a collision attack reuses the id of the call before it.
    const prefix = `atk_${randomUUID().slice(0, 8)}`;
    let previousId = `${prefix}_0`;
    return [...step.attacks, ...injected].map((attack, index): ScriptedPart => {
      const toolCallId = attack.reusePreviousCallId ? previousId : `${prefix}_${index}`;
      previousId = toolCallId;
      return { type: 'tool-call', toolName: attack.toolName, rawInput: attack.input, toolCallId };
    });
  };
}
