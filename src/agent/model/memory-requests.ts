import { callPlan, type ModelPlan } from './model-plan.ts';
import { isRecord, type ToolOutcome } from './tool-outcome.ts';

const REMEMBER =
  /^(?:please\s+)?(?:remember|note|keep\s+in\s+mind|make\s+a\s+note)(?:\s*:\s*|\s+(?:that\s+|this\s*:\s*)?)(.+)$/is;
const RECALL =
  /^(?:what\s+do\s+you\s+remember|what\s+have\s+you\s+remembered|recall|what\s+did\s+(?:i|we|you)\s+(?:ask\s+you\s+to\s+)?remember)\b\s*(?:about\s+|of\s+|on\s+)?(.*)$/is;

/**
 * A plan for asking the agent to remember or recall a fact (issue 10 point 4): "remember that
 * the launch moved to May" → `remember` with the fact; "what do you remember about the launch?"
 * or "recall the launch" → `recall` with the topic (nothing: everything). Undefined otherwise.
 */
export function memoryPlan(request: string): ModelPlan | undefined {
  const recall = RECALL.exec(request.trim());
  if (recall) {
    const topic = (recall[1] ?? '').replace(/[?.!\s]+$/, '').trim();
    return callPlan('recall', topic && !/^(?:everything|anything|all)$/i.test(topic) ? { query: topic } : {});
  }
  const remember = REMEMBER.exec(request.trim());
  const fact = remember?.[1]?.trim();
  return fact ? callPlan('remember', { text: fact }) : undefined;
}

/** Prose for a successful `remember` or `recall` result; undefined for any other tool. */
export function describeMemoryResult(
  toolName: string,
  outcome: Extract<ToolOutcome, { kind: 'ok' }>,
): string | undefined {
  const content = outcome.content;
  if (toolName === 'remember' && isRecord(content)) return 'Noted: I will remember that in this thread.';
  if (toolName !== 'recall' || !isRecord(content) || !Array.isArray(content.memories)) return undefined;
  const memories = content.memories.filter(isRecord);
  if (memories.length === 0) return 'I have nothing remembered in this thread about that.';
  const lines = memories.map((memory) => `- ${String(memory.text)} (remembered for ${String(memory.rememberedFor)})`);
  return ['Here is what I remember in this thread:', ...lines].join('\n');
}
