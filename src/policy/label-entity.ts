import type { EntityJson } from '@cedar-policy/cedar-wasm/nodejs';

/** Label kinds the policies know. Anything else is `unknown` and fails closed (I5). */
export const KNOWN_LABEL_KINDS = [
  'public',
  'hr-confidential',
  'exec-confidential',
  'engineering-internal',
  'sales-pipeline',
  'acl',
] as const;

/** A label's kind as the policies see it. */
export type LabelKind = (typeof KNOWN_LABEL_KINDS)[number] | 'unknown';

/** What a label id means to policy: its kind, and for a regional label the region's sales group. */
export interface LabelFacts {
  kind: LabelKind;
  /** `sales-<region>` for `sales-pipeline:<region>`. */
  regionGroup?: string;
  /** For `acl:<entries>`: the groups and users the document's ACL admitted. */
  aclGroups?: string[];
  aclUsers?: string[];
}

/** Prefix of the label that carries a document's ACL along with its content (see `aclLabelFor`). */
export const ACL_LABEL_PREFIX = 'acl:';
const ACL_ENTRY = /^(group|user):([a-z0-9][a-z0-9._-]*)$/;

/**
 * The label that carries a document's access list along with content read from it, so a reader
 * of an answer must have been able to read the document themself (SPEC §4: labels at least as
 * fine as the source's own rules). Undefined for a document everyone may read.
 */
export function aclLabelFor(readers: readonly string[]): string | undefined {
  if (readers.includes('everyone')) return undefined;
  return `${ACL_LABEL_PREFIX}${[...new Set(readers)].sort().join(',')}`;
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
  if (labelId.startsWith(ACL_LABEL_PREFIX)) return aclFacts(labelId.slice(ACL_LABEL_PREFIX.length));
  const separator = labelId.indexOf(':');
  if (separator > 0 && labelId.slice(0, separator) === 'sales-pipeline') {
    const region = labelId.slice(separator + 1);
    if (REGION.test(region)) return { kind: 'sales-pipeline', regionGroup: `sales-${region}` };
  }
  return { kind: 'unknown' };
}

/** `group:hr,user:bob` → the ACL's groups and users; anything malformed is `unknown` (fail closed). */
function aclFacts(entries: string): LabelFacts {
  const aclGroups: string[] = [];
  const aclUsers: string[] = [];
  for (const entry of entries.split(',')) {
    const match = ACL_ENTRY.exec(entry);
    if (!match) return { kind: 'unknown' };
    (match[1] === 'group' ? aclGroups : aclUsers).push(match[2] as string);
  }
  return { kind: 'acl', aclGroups, aclUsers };
}

/** The Cedar `Label` entity for a label id (uid `Label::"<id>"`), derived by {@link labelFacts}. */
export function labelEntityFor(labelId: string): EntityJson {
  const facts = labelFacts(labelId);
  const attrs: EntityJson['attrs'] = { kind: facts.kind };
  if (facts.regionGroup !== undefined) attrs.regionGroup = { __entity: { type: 'Group', id: facts.regionGroup } };
  if (facts.kind === 'acl') {
    attrs.aclGroups = (facts.aclGroups ?? []).map((id) => ({ __entity: { type: 'Group', id } }));
    attrs.aclUsers = (facts.aclUsers ?? []).map((id) => ({ __entity: { type: 'User', id } }));
  }
  return { uid: { type: 'Label', id: labelId }, attrs, parents: [] };
}
