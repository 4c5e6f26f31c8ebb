import type { CatalogueLabel, LabelCatalogue } from './label-catalogue.ts';

/** One generated policy: its text, and the catalogue entry (or `admins`) it comes from. */
export interface CompiledPolicy {
  text: string;
  /** The key of `behalf.yaml` it comes from (`['labels', 1, 'readers']`, `['admins']`): where an admin changes it. */
  from: (string | number)[];
}

/**
 * The catalogue's `readers`/`stewards` shorthands as Cedar permits, one per label and side, so a
 * decision names the label that cleared someone:
 *
 * - `label-<id>-readers` permits `readLabel` to the label's reader groups and users (with
 *   `{param}`s filled in from the concrete id), or to anyone when `everyone` reads it;
 * - `declassify-<id>-stewards` permits `declassifyLabel` (sharing to the thread) to its stewards.
 *
 * Who exactly is computed per concrete label into the `Label` entity (`readerGroups`,
 * `stewardUsers`, ...); the permit matches the entry by `resource.kind`. `public` is the product's
 * (`label-public-everyone`, `declassify-public`) and compiles to nothing.
 */
export function compileLabelCatalogue(catalogue: LabelCatalogue): Record<string, CompiledPolicy> {
  const policies: Record<string, CompiledPolicy> = {};
  const slugs = new Set<string>();
  catalogue.labels.forEach((label, index) => {
    if (label.id === 'public') return;
    const slug = uniqueSlug(label.id, slugs);
    if (label.readers.length > 0) {
      const id = `label-${slug}-readers`;
      policies[id] = {
        from: ['labels', index, 'readers'],
        text: permit({
          id,
          reason: `The label catalogue clears ${who(label.readers)} for ${described(label)}`,
          head: 'principal, action == Action::"readLabel", resource is Label',
          kind: label.id,
          entries: label.readers,
          side: 'reader',
        }),
      };
    }
    if (label.stewards.length > 0) {
      const id = `declassify-${slug}-stewards`;
      policies[id] = {
        from: ['labels', index, 'stewards'],
        text: permit({
          id,
          reason: `The label catalogue lets ${who(label.stewards)} declassify ${described(label)}`,
          head: 'principal is User, action == Action::"declassifyLabel", resource is Label',
          kind: label.id,
          entries: label.stewards,
          side: 'steward',
        }),
      };
    }
  });
  return policies;
}

/**
 * The workspace's `admins:` groups as permits: `admins-provision-agents` (provision agent
 * identities) and `admins-administer-workspace` (the administrator's page, action `administer`
 * on `Workspace::"global"`). No admins, no permits: nobody holds those rights.
 */
export function compileAdmins(admins: readonly string[]): Record<string, CompiledPolicy> {
  const groups = [...new Set(admins)];
  if (groups.length === 0) return {};
  const condition =
    groups.length === 1
      ? `principal in Group::${cedarString(groups[0] as string)}`
      : `principal in [${groups.map((group) => `Group::${cedarString(group)}`).join(', ')}]`;
  const names = groups.join(', ');
  return {
    'admins-provision-agents': {
      from: ['admins'],
      text: `@id("admins-provision-agents")\n@reason(${cedarString(`Administrators provision agent identities (admins: ${names})`)})\npermit (principal is User, action == Action::"provisionAgent", resource is AgentDirectory)\nwhen { ${condition} };`,
    },
    'admins-administer-workspace': {
      from: ['admins'],
      text: `@id("admins-administer-workspace")\n@reason(${cedarString(`Administrators see the workspace's administrator page (admins: ${names})`)})\npermit (principal is User, action == Action::"administer", resource is Workspace)\nwhen { ${condition} };`,
    },
  };
}

function permit(options: {
  id: string;
  reason: string;
  head: string;
  kind: string;
  entries: readonly string[];
  side: 'reader' | 'steward';
}): string {
  const { id, reason, head, kind, entries, side } = options;
  const match = `resource.kind == ${cedarString(kind)}`;
  const alternatives: string[] = [];
  if (!entries.includes('everyone')) {
    if (entries.some((entry) => !entry.startsWith('user:'))) alternatives.push(`principal in resource.${side}Groups`);
    if (entries.some((entry) => entry.startsWith('user:'))) {
      // Only a User is a person a label names; an agent identity is cleared through its groups.
      alternatives.push(
        side === 'reader'
          ? `(principal is User && resource.${side}Users.contains(principal))`
          : `resource.${side}Users.contains(principal)`,
      );
    }
  }
  const condition =
    alternatives.length === 0
      ? match
      : alternatives.length === 1
        ? `${match} && ${alternatives[0]}`
        : `\n  ${match} &&\n  (${alternatives.join(' ||\n   ')})\n`;
  const body = condition.startsWith('\n') ? condition : ` ${condition} `;
  return `@id("${id}")\n@reason(${cedarString(reason)})\npermit (${head})\nwhen {${body}};`;
}

/** `hr, finance and user bob`, as a reason reads. */
function who(entries: readonly string[]): string {
  if (entries.includes('everyone')) return 'everyone';
  const names = entries.map((entry) => (entry.startsWith('user:') ? `user ${entry.slice(5)}` : entry));
  return names.length === 1 ? (names[0] as string) : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

function described(label: CatalogueLabel): string {
  const description = label.description?.replace(/\s+/g, ' ').trim();
  return description ? `${label.id} (${description})` : label.id;
}

/** `sales-pipeline:{region}` → `sales-pipeline-region`, unique among those already taken. */
function uniqueSlug(id: string, taken: Set<string>): string {
  const base = id.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'label';
  let slug = base;
  for (let n = 2; taken.has(slug); n += 1) slug = `${base}-${n}`;
  taken.add(slug);
  return slug;
}

/** A Cedar string literal: quotes and backslashes escaped, control characters made spaces. */
export function cedarString(text: string): string {
  let escaped = '';
  for (const char of text) {
    if (char === '\\' || char === '"') escaped += `\\${char}`;
    else if (char === '\n') escaped += '\\n';
    else if (char < ' ' || char === '\u007f') escaped += ' ';
    else escaped += char;
  }
  return `"${escaped}"`;
}
