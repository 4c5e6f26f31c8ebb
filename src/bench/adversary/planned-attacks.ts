import type { ToolCatalogEntry } from '../../agent/model/tool-catalog.ts';
import { idProperty, queryProperty, roleOf } from '../../agent/model/tool-roles.ts';
import type { AdversaryVictims, Attack } from './adversarial-types.ts';
import { type AttackDraft, toAttacks } from './attack-drafts.ts';
import { documentReadAttacks, documentSearchAttacks } from './document-attacks.ts';
import { UNKNOWN_TOOL_NAMES } from './hostile-values.ts';
import { impersonationAttacks } from './impersonation-attacks.ts';
import { malformedAttacks } from './malformed-attacks.ts';
import { memoryAttacks, memoryRoleOf } from './memory-attacks.ts';
import { baselineInput } from './schema-arguments.ts';
import { NO_VICTIM, sqlAttacks } from './sql-attacks.ts';
import { knownTables } from './sql-schema.ts';
import { writeAttacks } from './ticket-attacks.ts';

/** Tuning of the plan. */
export interface PlanOptions {
  /** Length of the huge strings sent to every string argument. Default 65 536. */
  hugeStringLength?: number;
}

/**
 * Every attack the adversarial model will attempt against `catalog`, in order: for each read
 * tool its specific attacks (SQL, documents, search), impersonation and a call-id collision; then
 * unknown tool names; then malformed arguments for every tool; then the write tools, whose valid
 * calls pause the run for approval and so come last. Same catalog and victims, same plan.
 */
export function plannedAttacks(
  catalog: readonly ToolCatalogEntry[],
  victims: AdversaryVictims,
  options: PlanOptions = {},
): Attack[] {
  const hugeStringLength = options.hugeStringLength ?? 65_536;
  const seen = new Map<string, number>();
  const reads = catalog.filter((tool) => roleOf(tool) !== 'write');
  const writes = catalog.filter((tool) => roleOf(tool) === 'write');
  return [
    ...reads.flatMap((tool) => toAttacks(tool.name, readToolDrafts(tool, victims), seen)),
    ...unknownToolAttacks(catalog, victims, seen),
    ...catalog.flatMap((tool) =>
      toAttacks(tool.name, malformedAttacks(tool, baselineOf(tool, victims), hugeStringLength), seen),
    ),
    ...writes.flatMap((tool) => {
      const baseline = baselineOf(tool, victims);
      return toAttacks(
        tool.name,
        [...impersonationAttacks(baseline, victims), ...writeAttacks(baseline, victims)],
        seen,
      );
    }),
  ];
}

function readToolDrafts(tool: ToolCatalogEntry, victims: AdversaryVictims): AttackDraft[] {
  const baseline = baselineOf(tool, victims);
  const role = roleOf(tool);
  const query = queryProperty(tool) ?? 'query';
  const memoryRole = memoryRoleOf(tool);
  const specific = memoryRole
    ? memoryAttacks(memoryRole, queryProperty(tool) ?? (memoryRole === 'remember' ? 'text' : 'query'), victims)
    : role === 'sql'
      ? sqlAttacks(query, victims, tool)
      : role === 'read-document'
        ? documentReadAttacks(idProperty(tool), victims)
        : role === 'search'
          ? documentSearchAttacks(query, victims)
          : [];
  const protectedInput =
    role === 'sql'
      ? { [query]: `SELECT * FROM ${knownTables(tool, victims)[0]?.name ?? 'secrets'}` }
      : { ...baseline, user: victims.users[0] ?? NO_VICTIM };
  return [
    ...specific,
    ...impersonationAttacks(baseline, victims),
    { category: 'call-id-collision', description: 'harmless call whose id is reused next', input: baseline },
    {
      category: 'call-id-collision',
      description: 'hostile call sharing the previous call id',
      input: protectedInput,
      reusePreviousCallId: true,
    },
  ];
}

function unknownToolAttacks(
  catalog: readonly ToolCatalogEntry[],
  victims: AdversaryVictims,
  seen: Map<string, number>,
): Attack[] {
  const user = victims.users[0] ?? NO_VICTIM;
  const invented = UNKNOWN_TOOL_NAMES.flatMap((name) =>
    toAttacks(name, [{ category: 'unknown-tool', description: `unknown tool ${name}`, input: { user } }], seen),
  );
  const nearMisses = catalog.flatMap((tool) =>
    [tool.name.toUpperCase(), `${tool.name} `, `${tool.name}\u200b`, `functions.${tool.name}`].map((name) =>
      toAttacks(
        name,
        [{ category: 'unknown-tool', description: `near miss of ${tool.name}`, input: baselineOf(tool, victims) }],
        seen,
      ),
    ),
  );
  return [...invented, ...nearMisses.flat()];
}

function baselineOf(tool: ToolCatalogEntry, victims: AdversaryVictims): Record<string, unknown> {
  const role = roleOf(tool);
  const hints: Record<string, unknown> =
    role === 'sql'
      ? { [queryProperty(tool) ?? 'query']: 'SELECT 1' }
      : role === 'read-document'
        ? { [idProperty(tool)]: victims.documentIds?.[0] ?? 'doc-1' }
        : role === 'search'
          ? { [queryProperty(tool) ?? 'query']: 'handbook' }
          : { title: 'Adversarial test', body: 'Adversarial test' };
  return baselineInput(tool, hints);
}
