import type { AuditRecord } from '../audit/types.ts';
import type { AuditNamingCounts } from './types.ts';

type Mode = AuditRecord['mode'];

/** Zeroed counts. */
export function emptyNamingCounts(): AuditNamingCounts {
  return {
    total: 0,
    system: 0,
    selfModeClaims: 0,
    wouldLoseHuman: 0,
    withoutHumanToday: 0,
    withoutHumanSelfAuthorized: 0,
  };
}

/**
 * Adds one record to `counts`. As recorded, a record names a human unless it is a system action
 * (`requester: null`) or the agent acted as itself (mode `self`: the requester is a claim the
 * agent identity made). In a self-authorized design every record the agent made names only
 * the agent: user-mode agent records would lose their human.
 */
export function countNaming(counts: AuditNamingCounts, record: AuditRecord): void {
  const system = record.requester === null;
  const self = record.mode === 'self';
  const byAgent = record.agent !== null;
  counts.total += 1;
  if (system) counts.system += 1;
  if (self) counts.selfModeClaims += 1;
  if (byAgent && record.mode === 'user' && !system) counts.wouldLoseHuman += 1;
  if (system || self) counts.withoutHumanToday += 1;
  if (system || byAgent) counts.withoutHumanSelfAuthorized += 1;
}

/** Per-mode tallies of all records and of the agent's records. */
export class ModeTally {
  readonly byMode: Record<Mode, number> = { user: 0, self: 0, direct: 0 };
  readonly agentByMode: Record<Mode, number> = { user: 0, self: 0, direct: 0 };

  add(record: AuditRecord): void {
    this.byMode[record.mode] += 1;
    if (record.agent !== null) this.agentByMode[record.mode] += 1;
  }
}

/** `total` minus every part, field by field: what the parts leave out. */
export function namingRemainder(total: AuditNamingCounts, parts: readonly AuditNamingCounts[]): AuditNamingCounts {
  const remainder = { ...total };
  for (const part of parts) {
    for (const key of Object.keys(remainder) as Array<keyof AuditNamingCounts>) remainder[key] -= part[key];
  }
  return remainder;
}
