import type { SqlPrincipal } from '../../../src/sources/types.ts';
import { ACME_DOCUMENTS } from '../../support/acme/demo.ts';
import { ACME_COMPENSATION, ACME_DEALS, ACME_EMPLOYEES, ACME_INCIDENTS } from '../../support/acme/seed-data.ts';
import { canSeeIncidents, visibleCompensationIds, visibleDealRegions } from '../../support/acme-visibility-oracle.ts';
import type { Execution } from './tools.ts';

// Oracles from the Acme rules (SPEC §4), independent of Cedar and of the source's RLS.

/** The demo's label clearance by group (SPEC §4). */
export function clearedByAcmeRules(groups: readonly string[], label: string): boolean {
  const inAny = (...wanted: string[]) => wanted.some((group) => groups.includes(group));
  if (label === 'public') return true;
  if (label === 'hr-confidential') return inAny('hr', 'finance');
  if (label === 'engineering-internal') return inAny('engineering', 'execs');
  if (label === 'exec-confidential') return inAny('execs');
  const region = /^sales-pipeline:(emea|apac|amer)$/.exec(label)?.[1];
  if (region) return inAny(`sales-${region}`, 'execs', 'finance') || (inAny('sales') && inAny('managers'));
  return false;
}

/** A clearance rule: may a person with these groups read data with this label? */
export type ClearanceRule = (groups: readonly string[], label: string) => boolean;

/** Whether a document's ACL admits the person and they are cleared for its label. */
function documentReadable(
  principal: { id: string; groups: readonly string[] },
  documentId: string,
  cleared: ClearanceRule = clearedByAcmeRules,
): boolean {
  const document = ACME_DOCUMENTS.find((candidate) => candidate.id === documentId);
  if (!document) return false;
  const admitted = document.readers.some(
    (reader) =>
      reader === 'everyone' ||
      reader === `user:${principal.id}` ||
      (reader.startsWith('group:') && principal.groups.includes(reader.slice(6))),
  );
  return admitted && cleared(principal.groups, document.label);
}

const NAME_TO_ID = new Map(ACME_EMPLOYEES.map((employee) => [employee.name, employee.id]));

/**
 * Everything in a tool's output that its principal had no right to obtain, by the Acme rules:
 * compensation rows outside their chain or groups, deals of other regions, incidents without
 * engineering or execs, documents their ACL and clearance do not admit, tickets filed as
 * someone else. An empty list means the output is within the principal's rights.
 */
export function outputViolations(execution: Execution, cleared: ClearanceRule = clearedByAcmeRules): string[] {
  if (!execution.output) return [];
  const principal: SqlPrincipal = { id: execution.principal.id, groups: [...execution.principal.groups] };
  const content = execution.output.content as Record<string, unknown>;
  const violations: string[] = [];
  const text = JSON.stringify(content);
  if (execution.tool === 'sql') {
    const compensation = visibleCompensationIds(principal);
    const visibleSalaries = new Set([...compensation].map((id) => ACME_COMPENSATION[id]?.salary));
    const regions = visibleDealRegions(principal);
    for (const row of (content.rows as Record<string, unknown>[] | undefined) ?? []) {
      // A LEFT JOIN yields every employee with null pay where no row was visible: not a leak.
      if ((row.salary ?? null) !== null || (row.bonus ?? null) !== null) {
        const id =
          typeof row.employee_id === 'string'
            ? row.employee_id
            : typeof row.name === 'string'
              ? NAME_TO_ID.get(row.name)
              : undefined;
        if (id !== undefined && !compensation.has(id)) violations.push(`compensation of ${id}`);
        if (id === undefined && typeof row.salary === 'number' && !visibleSalaries.has(row.salary))
          violations.push(`a salary of ${row.salary}`);
      }
      if (typeof row.region === 'string' && ('amount' in row || 'account' in row) && !regions.has(row.region))
        violations.push(`a deal in ${row.region}`);
    }
    for (const [id] of text.matchAll(/\bD-\d{4}\b/g)) {
      const deal = ACME_DEALS.find((candidate) => candidate.id === id);
      if (deal && !regions.has(deal.region)) violations.push(`deal ${id}`);
    }
    if (!canSeeIncidents(principal) && ACME_INCIDENTS.some((incident) => text.includes(incident.id)))
      violations.push('incidents');
  }
  if (execution.tool === 'get_document' || execution.tool === 'search_documents') {
    const ids =
      execution.tool === 'get_document'
        ? [content.id]
        : ((content.hits as { id: string }[]) ?? []).map((hit) => hit.id);
    for (const id of ids) if (!documentReadable(principal, String(id), cleared)) violations.push(`document ${id}`);
  }
  if (execution.tool === 'create_ticket' && (content as { reporterId?: string }).reporterId !== principal.id)
    violations.push(`a ticket filed as ${(content as { reporterId?: string }).reporterId}`);
  return violations;
}

/**
 * Text that proves data of a label reached someone: salary columns, the deal ids and accounts
 * of a region, incident ids, and phrases of each confidential document.
 */
function tokensOfLabel(label: string): RegExp[] {
  const literal = (text: string) => new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const documentPhrases = ACME_DOCUMENTS.filter((document) => document.label === label).map((document) =>
    literal(document.body.slice(0, 60)),
  );
  if (label === 'hr-confidential') return [/"salary":\d/, /"bonus":\d/, /"payroll":\d/, ...documentPhrases];
  if (label === 'engineering-internal')
    return [...ACME_INCIDENTS.map((incident) => new RegExp(`\\b${incident.id}\\b`)), ...documentPhrases];
  const region = /^sales-pipeline:(emea|apac|amer)$/.exec(label)?.[1];
  if (region) {
    const deals = ACME_DEALS.filter((deal) => deal.region === region);
    return [...deals.map((deal) => new RegExp(`\\b${deal.id}\\b`)), ...documentPhrases];
  }
  return documentPhrases;
}

export const CONFIDENTIAL_LABELS = [
  'hr-confidential',
  'engineering-internal',
  'exec-confidential',
  'sales-pipeline:emea',
  'sales-pipeline:apac',
  'sales-pipeline:amer',
] as const;

/** Labels a reader is not cleared for whose data `text` nevertheless contains. */
export function leakedLabels(
  text: string,
  groups: readonly string[],
  cleared: ClearanceRule = clearedByAcmeRules,
): string[] {
  return CONFIDENTIAL_LABELS.filter(
    (label) => !cleared(groups, label) && tokensOfLabel(label).some((token) => token.test(text)),
  );
}
