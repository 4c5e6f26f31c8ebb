import type { EntityJson } from '@cedar-policy/cedar-wasm/nodejs';

/** Label kinds the policies know. Anything else is `unknown` and fails closed (I5). */
export const KNOWN_LABEL_KINDS = [
  'public',
  'hr-confidential',
  'exec-confidential',
  'engineering-internal',
  'sales-pipeline',
] as const;

/** A label's kind as the policies see it. */
export type LabelKind = (typeof KNOWN_LABEL_KINDS)[number] | 'unknown';

/** What a label id means to policy: its kind, and for a regional label the region's sales group. */
export interface LabelFacts {
  kind: LabelKind;
  /** `sales-<region>` for `sales-pipeline:<region>`. */
  regionGroup?: string;
}

const SIMPLE_KINDS: ReadonlySet<string> = new Set([
  'public',
  'hr-confidential',
  'exec-confidential',
  'engineering-internal',
]);
// A region is one lower-case word, as the data source writes it (`emea`, `apac`, `amer`);
// anything looser could name an unrelated group (`sales-pipeline:../hr`).
const REGION = /^[a-z][a-z0-9]*$/;

/**
 * Parses a label id. `sales-pipeline:emea` → kind `sales-pipeline`, regionGroup `sales-emea`;
 * a bare `sales-pipeline`, an odd region or any other id → kind `unknown` (fail closed).
 */
export function labelFacts(labelId: string): LabelFacts {
  if (SIMPLE_KINDS.has(labelId)) return { kind: labelId as LabelKind };
  const separator = labelId.indexOf(':');
  if (separator > 0 && labelId.slice(0, separator) === 'sales-pipeline') {
    const region = labelId.slice(separator + 1);
    if (REGION.test(region)) return { kind: 'sales-pipeline', regionGroup: `sales-${region}` };
  }
  return { kind: 'unknown' };
}

/** The Cedar `Label` entity for a label id (uid `Label::"<id>"`), derived by {@link labelFacts}. */
export function labelEntityFor(labelId: string): EntityJson {
  const facts = labelFacts(labelId);
  const attrs: EntityJson['attrs'] = { kind: facts.kind };
  if (facts.regionGroup !== undefined) attrs.regionGroup = { __entity: { type: 'Group', id: facts.regionGroup } };
  return { uid: { type: 'Label', id: labelId }, attrs, parents: [] };
}
