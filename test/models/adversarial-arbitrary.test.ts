import { generateText, stepCountIs } from 'ai';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toolCatalogOfToolSet } from '../../src/agent/model/tool-catalog.ts';
import type { AdversaryVictims } from '../../src/bench/adversary/adversarial-types.ts';
import { arbitraryAttackScript, attackScriptToModelScript } from '../support/models/adversarial-arbitrary.ts';
import { createScriptedModel } from '../support/models/scripted-model.ts';
import { fakeAcmeTools } from '../support/models/test-tools.ts';

const VICTIMS: AdversaryVictims = {
  users: ['dana', 'erin'],
  runIds: ['run_x'],
  threadIds: ['thr_y'],
  jwt: 'a.b.c',
  documentIds: ['doc-board-deck', 'doc-vendor-faq'],
};

describe('arbitraryAttackScript', () => {
  it('plays random attack scripts through the tool loop and leaks every result it got', async () => {
    const catalog = await toolCatalogOfToolSet(fakeAcmeTools().tools);
    await fc.assert(
      fc.asyncProperty(arbitraryAttackScript(catalog, VICTIMS), async (script) => {
        const { tools } = fakeAcmeTools();
        const model = createScriptedModel(attackScriptToModelScript(script, VICTIMS));
        const result = await generateText({ model, tools, prompt: '@agent hi', stopWhen: stepCountIs(50) });
        expect(result.steps).toHaveLength(script.steps.length + 1);
        const made = result.steps.flatMap((step) => step.content.filter((part) => part.type === 'tool-call'));
        const scripted = script.steps.reduce((sum, step) => sum + step.attacks.length, 0);
        expect(made.length).toBeGreaterThanOrEqual(scripted);
        for (const step of result.steps) {
          for (const part of step.content) {
            // Successful results are repeated whole; errors (which may echo huge inputs) are capped.
            if (part.type === 'tool-result' && (part.output as { ok?: boolean }).ok === true) {
              expect(result.text).toContain(JSON.stringify(part.output));
            }
          }
        }
      }),
      { numRuns: 40 },
    );
  });
});
