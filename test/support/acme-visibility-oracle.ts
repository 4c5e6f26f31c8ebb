import type { SqlPrincipal } from '../../src/sources/types.ts';
import { ACME_USERS } from './acme/demo.ts';
import { ACME_DEALS, ACME_EMPLOYEES } from './acme/seed-data.ts';

/**
 * What Acme's row-level security should let a principal see, computed in TypeScript from the
 * seed (SPEC §4), independently of the SQL policies: the oracle for tests, including other
 * domains' adversarial tests.
 */

/** The principal of a demo user, with the groups of `ACME_USERS`. */
export function acmePrincipal(userId: string): SqlPrincipal {
  const user = ACME_USERS.find((candidate) => candidate.id === userId);
  if (!user) throw new Error(`unknown Acme user ${userId}`);
  return { id: user.id, groups: [...user.groups] };
}

function inAny(principal: SqlPrincipal, ...groups: string[]): boolean {
  return groups.some((group) => principal.groups.includes(group));
}

/** Ids of everyone below `managerId` in the management chain (transitively). */
export function reportsOf(managerId: string): Set<string> {
  const reports = new Set<string>();
  let frontier = [managerId];
  while (frontier.length > 0) {
    const next = ACME_EMPLOYEES.filter((e) => e.managerId !== null && frontier.includes(e.managerId)).map((e) => e.id);
    frontier = next.filter((id) => !reports.has(id));
    for (const id of frontier) reports.add(id);
  }
  return reports;
}

/** Employee ids whose compensation row the principal may read. */
export function visibleCompensationIds(principal: SqlPrincipal): Set<string> {
  if (inAny(principal, 'hr', 'finance')) return new Set(ACME_EMPLOYEES.map((e) => e.id));
  const visible = reportsOf(principal.id);
  if (ACME_EMPLOYEES.some((e) => e.id === principal.id)) visible.add(principal.id);
  return visible;
}

/** Deal regions the principal may read. */
export function visibleDealRegions(principal: SqlPrincipal): Set<string> {
  const everything =
    inAny(principal, 'finance', 'execs') || (inAny(principal, 'sales') && inAny(principal, 'managers'));
  return new Set(
    ACME_DEALS.map((deal) => deal.region).filter((region) => everything || inAny(principal, `sales-${region}`)),
  );
}

/** Whether the principal may read incidents. */
export function canSeeIncidents(principal: SqlPrincipal): boolean {
  return inAny(principal, 'engineering', 'execs');
}
