/**
 * The product-level labels every workspace has, whatever its catalogue: `public`, and the `acl:`
 * label that carries a document's access list along with content read from it. Everything else
 * a label id can mean comes from the workspace's catalogue (`label-catalogue.ts`).
 */

/** The label of data everyone may read and share. */
export const PUBLIC_LABEL = 'public';

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

/**
 * The groups and users of an `acl:` label (`acl:group:hr,user:bob`); undefined when anything in
 * it is malformed, which makes the label unknown (fail closed).
 */
export function parseAclLabel(labelId: string): { groups: string[]; users: string[] } | undefined {
  if (!labelId.startsWith(ACL_LABEL_PREFIX)) return undefined;
  const groups: string[] = [];
  const users: string[] = [];
  for (const entry of labelId.slice(ACL_LABEL_PREFIX.length).split(',')) {
    const match = ACL_ENTRY.exec(entry);
    if (!match) return undefined;
    (match[1] === 'group' ? groups : users).push(match[2] as string);
  }
  return { groups, users };
}
