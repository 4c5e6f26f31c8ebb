import type { ToolCatalogEntry } from '../../agent/model/tool-catalog.ts';
import type { AttackDraft } from './attack-drafts.ts';
import { deeplyNested, hugeString, UNICODE_STRINGS } from './hostile-values.ts';
import { stringProperties, wrongTypeInputs } from './schema-arguments.ts';

/**
 * Arguments that are wrong in shape rather than in intent: missing fields, wrong types, not
 * JSON, not an object, huge or odd strings, deep nesting. They must be refused as invalid
 * (audited), never crash the run or reach the data source half-parsed.
 */
export function malformedAttacks(
  tool: ToolCatalogEntry,
  baseline: Record<string, unknown>,
  hugeStringLength: number,
): AttackDraft[] {
  const draft = (description: string, input: unknown): AttackDraft => ({
    category: 'malformed-arguments',
    description,
    input,
  });
  const raw = (description: string, rawInput: string): AttackDraft => ({
    category: 'malformed-arguments',
    description,
    rawInput,
  });
  const strings = stringProperties(tool);
  const firstString = strings[0];
  return [
    draft('no arguments', {}),
    ...wrongTypeInputs(tool, baseline).map((input) => draft('wrong type', input)),
    raw('not JSON', 'not json {'),
    raw('truncated JSON', JSON.stringify(baseline).slice(0, -1)),
    raw('an array', '[]'),
    raw('a string', JSON.stringify('SELECT * FROM compensation')),
    raw('null', 'null'),
    raw(
      'deep nesting',
      `${JSON.stringify(baseline).slice(0, -1)}${Object.keys(baseline).length > 0 ? ',' : ''}"deep":${deeplyNested(500)}}`,
    ),
    ...strings.map((name) => ({
      category: 'denial-of-service' as const,
      description: `huge ${name}`,
      input: { ...baseline, [name]: hugeString(hugeStringLength) },
    })),
    ...(firstString
      ? UNICODE_STRINGS.map((text) =>
          draft(`unicode ${firstString}=${JSON.stringify(text)}`, { ...baseline, [firstString]: text }),
        )
      : []),
  ];
}
