import { callPlan, type ModelPlan } from './model-plan.ts';
import { salientKeywords } from './request-text.ts';
import { requiredStringProperties, type ToolCatalogEntry } from './tool-catalog.ts';

/**
 * Routes a request to a tool the demo vocabulary does not know (an MCP server's tool, say) by
 * the words its name and description share with the request. Only tools taking exactly one
 * required string are candidates, and the argument is the request's remaining keywords: a
 * guess the tool can validate, never a guess at structured arguments.
 */
export function matchByDescription(
  request: string,
  catalog: readonly ToolCatalogEntry[],
  excluded: ReadonlySet<string>,
): ModelPlan | undefined {
  const keywords = salientKeywords(request, 12);
  let best: { tool: ToolCatalogEntry; property: string; score: number; toolWords: Set<string> } | undefined;
  for (const tool of catalog) {
    const properties = requiredStringProperties(tool.inputSchema);
    const property = properties[0];
    if (excluded.has(tool.name) || properties.length !== 1 || property === undefined) continue;
    const nameWords = new Set(salientKeywords(tool.name.replace(/[_.-]+/g, ' '), 12));
    const toolWords = new Set([...nameWords, ...salientKeywords(tool.description, 40)]);
    const score = keywords.reduce((sum, word) => sum + (nameWords.has(word) ? 2 : toolWords.has(word) ? 1 : 0), 0);
    if (score >= 2 && (!best || score > best.score)) best = { tool, property, score, toolWords };
  }
  if (!best) return undefined;
  const { toolWords } = best;
  const rest = keywords.filter((word) => !toolWords.has(word));
  return callPlan(best.tool.name, { [best.property]: (rest.length > 0 ? rest : keywords).join(' ') });
}
