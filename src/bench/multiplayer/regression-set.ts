import type { ConversationScript } from './conversation-script.ts';

/** Conversations of each template the regression set plays with the offline model. */
export const REGRESSION_PER_TEMPLATE = 2;

/**
 * Templates whose first conversation the regression set also plays with the adversarial model:
 * one benign, and hostile ones through a document, a share and memory (the adversary's own plan
 * adds injected calls, context reads, SQL, document and memory attacks to every run).
 */
export const REGRESSION_ADVERSARIAL_TEMPLATES: readonly string[] = [
  'greeting-after-sensitive',
  'injected-document',
  'share-then-follow-up',
  'memory-laundering',
];

/**
 * The deterministic subset of the generated conversations that the test suite replays
 * (`src/bench/multiplayer-bench.test.ts`) and `behalf bench multiplayer --quick` runs: the first
 * `REGRESSION_PER_TEMPLATE` conversations of every template (benign and hostile) with the offline
 * model, and the first one of each of `REGRESSION_ADVERSARIAL_TEMPLATES` with the adversary. The
 * full set stays in the CLI.
 */
export const regressionSet = {
  filter(script: ConversationScript, _index: number, all: readonly ConversationScript[]): boolean {
    return rankInTemplate(script, all) < REGRESSION_PER_TEMPLATE;
  },
  adversarialFilter(script: ConversationScript, _index: number, all: readonly ConversationScript[]): boolean {
    return REGRESSION_ADVERSARIAL_TEMPLATES.includes(script.template) && rankInTemplate(script, all) === 0;
  },
};

function rankInTemplate(script: ConversationScript, all: readonly ConversationScript[]): number {
  return all.filter((other) => other.template === script.template).indexOf(script);
}
