import type { EntityJson } from '@cedar-policy/cedar-wasm/nodejs';
import { AppError } from '../protocol/errors.ts';
import type { LabelSpec } from '../workspace/workspace-config.ts';
import { ACL_LABEL_PREFIX, PUBLIC_LABEL, parseAclLabel } from './label-entity.ts';

/** The kind of a label nobody classified: the `unknown-label-fails-closed` forbid denies it (I5). */
export const UNKNOWN_LABEL_KIND = 'unknown';
/** The kind of the label carrying a document's ACL (`acl:group:hr,user:bob`). */
export const ACL_LABEL_KIND = 'acl';
/** Kinds every workspace has, whatever its catalogue. */
export const BUILT_IN_LABEL_KINDS: readonly string[] = [PUBLIC_LABEL, ACL_LABEL_KIND, UNKNOWN_LABEL_KIND];

/** Ids a catalogue may not declare: the product gives them their meaning. */
const RESERVED_IDS = new Set([UNKNOWN_LABEL_KIND, 'unclassified', ACL_LABEL_KIND]);

const LITERAL = /^[a-z0-9][a-z0-9._-]*$/;
const PARAMETER_SEGMENT = /^\{([a-z_][a-z0-9_]*)\}$/;
const AUDIENCE_PARAMETER = /\{([a-z_][a-z0-9_]*)\}/g;
const GROUP_NAME = /^[A-Za-z0-9][A-Za-z0-9._:@-]*$/;
const USER_ID = /^[A-Za-z0-9][A-Za-z0-9._@-]*$/;

/**
 * What a `{param}` of a label may take: one lower-case token. Anything else (upper case, `/`, `:`,
 * spaces, an empty value) makes the label unknown, so a value from data can never name a group
 * its author did not mean (`ward:../admins`).
 */
export const LABEL_PARAMETER_VALUE = /^[a-z0-9][a-z0-9._-]*$/;
const MAX_PARAMETER_VALUE = 64;
const MAX_LABEL_ID = 256;

/** Who a label clears (readers) or who may declassify it (stewards), with parameters filled in. */
export interface Audience {
  everyone: boolean;
  groups: string[];
  users: string[];
}

/** One entry of the catalogue, as declared. */
export interface CatalogueLabel {
  /** `hr-confidential`, or a pattern such as `sales-pipeline:{region}`; the kind of every label it matches. */
  readonly id: string;
  readonly description: string | undefined;
  /** `{param}` names, in order (`sales-pipeline:{region}` → `region`). */
  readonly parameters: readonly string[];
  /** The shorthands as written: groups, `user:<id>`, `everyone`, possibly with `{param}`. */
  readonly readers: readonly string[];
  readonly stewards: readonly string[];
}

/** What one concrete label id means to policy. */
export interface ResolvedLabel {
  id: string;
  /**
   * `public`, `acl`, `unknown`, or the id of the catalogue entry it matched (`sales-pipeline:{region}`
   * for `sales-pipeline:emea`): what policies compare `resource.kind` with.
   */
  kind: string;
  /** The catalogue entry, when one matched. */
  entry?: CatalogueLabel;
  /** Parameter values (`{ region: 'emea' }`). */
  parameters: Readonly<Record<string, string>>;
  readers: Audience;
  stewards: Audience;
  /** For `acl:` labels: the groups and users of the document's ACL. */
  acl?: { groups: string[]; users: string[] };
}

/** A mistake in the catalogue, at a key path of `behalf.yaml` (`['labels', 2, 'readers', 0]`). */
export interface CatalogueProblem {
  path: (string | number)[];
  message: string;
}

type Segment = { literal: string } | { parameter: string };
type AudienceEntry = { everyone: true } | { group: string } | { user: string };

interface CompiledLabel {
  label: CatalogueLabel;
  segments: Segment[];
  literals: number;
  readers: AudienceEntry[];
  stewards: AudienceEntry[];
}

const nobody = (): Audience => ({ everyone: false, groups: [], users: [] });
const everyone = (): Audience => ({ everyone: true, groups: [], users: [] });

/**
 * The workspace's label catalogue (SPEC §12): matches concrete label ids (`sales-pipeline:emea`)
 * to their entry (exact ids first, then patterns; the pattern with more literal parts wins) and
 * builds the Cedar `Label` entity policies see. `public` and `acl:` labels are the product's and
 * mean the same in every workspace; an id the catalogue does not know has kind `unknown`, which
 * nobody is cleared for (fail closed). Immutable.
 */
export class LabelCatalogue {
  readonly #compiled: readonly CompiledLabel[];
  /** Entries by their first segment (always a literal), for matching. */
  readonly #byHead: ReadonlyMap<string, readonly CompiledLabel[]>;
  readonly #public: CatalogueLabel | undefined;
  readonly #declared: readonly CatalogueLabel[];

  private constructor(compiled: CompiledLabel[], declared: CatalogueLabel[]) {
    this.#compiled = compiled;
    this.#declared = Object.freeze(declared);
    this.#public = declared.find((label) => label.id === PUBLIC_LABEL);
    const byHead = new Map<string, CompiledLabel[]>();
    for (const entry of compiled) {
      const head = (entry.segments[0] as { literal: string }).literal;
      byHead.set(head, [...(byHead.get(head) ?? []), entry]);
    }
    this.#byHead = byHead;
  }

  /** A catalogue that knows only `public` and `acl:` labels. */
  static empty(): LabelCatalogue {
    return new LabelCatalogue([], []);
  }

  /**
   * Builds the catalogue from the workspace's `labels:`. Throws `AppError('policy_invalid')` with
   * `data.problems` ({@link CatalogueProblem}s) when {@link findCatalogueProblems} finds any.
   */
  static fromSpecs(specs: readonly LabelSpec[]): LabelCatalogue {
    const problems = findCatalogueProblems(specs);
    if (problems.length > 0) {
      const lines = problems.map((problem) => `${dottedKey(problem.path)}: ${problem.message}`);
      throw new AppError('policy_invalid', `Invalid label catalogue: ${lines.join('; ')}`, { problems });
    }
    const compiled: CompiledLabel[] = [];
    const declared: CatalogueLabel[] = [];
    for (const spec of specs) {
      const label = catalogueLabel(spec);
      declared.push(label);
      if (spec.id === PUBLIC_LABEL) continue;
      const segments = segmentsOf(spec.id) as Segment[];
      compiled.push({
        label,
        segments,
        literals: segments.filter((segment) => 'literal' in segment).length,
        readers: label.readers.map(audienceEntry),
        stewards: label.stewards.map(audienceEntry),
      });
    }
    return new LabelCatalogue(compiled, declared);
  }

  /** The entries as declared, in the order of `labels:` (`public` included when the workspace describes it). */
  get labels(): readonly CatalogueLabel[] {
    return this.#declared;
  }

  /** Every value `resource.kind` can take: the built-in kinds and each entry's id. */
  kinds(): string[] {
    return [...BUILT_IN_LABEL_KINDS, ...this.#compiled.map((entry) => entry.label.id)];
  }

  /** What a concrete label id means. Never throws: anything doubtful is `unknown`. */
  resolve(labelId: string): ResolvedLabel {
    if (labelId === PUBLIC_LABEL) {
      return {
        id: labelId,
        kind: PUBLIC_LABEL,
        ...(this.#public ? { entry: this.#public } : {}),
        parameters: {},
        readers: everyone(),
        stewards: everyone(),
      };
    }
    if (labelId.startsWith(ACL_LABEL_PREFIX)) {
      const acl = parseAclLabel(labelId);
      if (!acl) return unknown(labelId);
      return { id: labelId, kind: ACL_LABEL_KIND, parameters: {}, readers: nobody(), stewards: nobody(), acl };
    }
    if (labelId.length > MAX_LABEL_ID) return unknown(labelId);
    const parts = labelId.split(':');
    let best: { entry: CompiledLabel; parameters: Record<string, string> } | undefined;
    for (const entry of this.#byHead.get(parts[0] as string) ?? []) {
      if (best && best.entry.literals >= entry.literals) continue;
      const parameters = match(entry.segments, parts);
      if (parameters) best = { entry, parameters };
    }
    if (!best) return unknown(labelId);
    const { entry, parameters } = best;
    return {
      id: labelId,
      kind: entry.label.id,
      entry: entry.label,
      parameters,
      readers: audienceOf(entry.readers, parameters),
      stewards: audienceOf(entry.stewards, parameters),
    };
  }

  /** The Cedar `Label` entity of a label id (uid `Label::"<id>"`). */
  entity(labelId: string): EntityJson {
    return labelEntityOf(this.resolve(labelId));
  }
}

/** The Cedar entity of a resolved label: kind, readers and stewards (and the ACL of an `acl:` label). */
export function labelEntityOf(label: ResolvedLabel): EntityJson {
  const groups = (ids: readonly string[]) => ids.map((id) => ({ __entity: { type: 'Group', id } }));
  const users = (ids: readonly string[]) => ids.map((id) => ({ __entity: { type: 'User', id } }));
  const attrs: EntityJson['attrs'] = {
    kind: label.kind,
    readerGroups: groups(label.readers.groups),
    readerUsers: users(label.readers.users),
    everyoneReads: label.readers.everyone,
    stewardGroups: groups(label.stewards.groups),
    stewardUsers: users(label.stewards.users),
    everyoneStewards: label.stewards.everyone,
  };
  if (label.acl) {
    attrs.aclGroups = groups(label.acl.groups);
    attrs.aclUsers = users(label.acl.users);
  }
  return { uid: { type: 'Label', id: label.id }, attrs, parents: [] };
}

/**
 * Every problem of a catalogue: malformed or reserved ids, a label declared twice, patterns that
 * match the same ids equally well, a `public` entry that narrows who reads public data, and
 * readers/stewards that are malformed or name a `{param}` the id does not have.
 */
export function findCatalogueProblems(specs: readonly LabelSpec[]): CatalogueProblem[] {
  const problems: CatalogueProblem[] = [];
  const shapes = new Map<string, number>();
  const patterns: { index: number; segments: Segment[]; literals: number }[] = [];
  specs.forEach((spec, index) => {
    const at = (...rest: (string | number)[]) => ['labels', index, ...rest];
    const segments = segmentsOf(spec.id);
    if (typeof segments === 'string') {
      problems.push({ path: at('id'), message: segments });
      return;
    }
    if (RESERVED_IDS.has(spec.id) || spec.id.startsWith(ACL_LABEL_PREFIX)) {
      problems.push({
        path: at('id'),
        message: `"${spec.id}" is reserved (unknown and unclassified data fail closed; acl: labels carry document ACLs)`,
      });
      return;
    }
    const shape = segments.map((segment) => ('literal' in segment ? segment.literal : '{}')).join(':');
    const previous = shapes.get(shape);
    if (previous !== undefined) {
      problems.push({ path: at('id'), message: `label "${spec.id}" is declared twice (also labels[${previous}])` });
      return;
    }
    shapes.set(shape, index);
    const parameters = segments.flatMap((segment) => ('parameter' in segment ? [segment.parameter] : []));
    if (new Set(parameters).size !== parameters.length) {
      problems.push({ path: at('id'), message: `a {parameter} appears twice in "${spec.id}"; name each one once` });
    }
    if (spec.id === PUBLIC_LABEL) {
      for (const key of ['readers', 'stewards'] as const) {
        if ((spec[key] ?? []).some((entry) => entry !== 'everyone')) {
          problems.push({
            path: at(key),
            message: 'public is built in: everyone reads it and may share it; use another label for narrower data',
          });
        }
      }
      return;
    }
    for (const key of ['readers', 'stewards'] as const) {
      (spec[key] ?? []).forEach((entry, position) => {
        const message = audienceProblem(entry, parameters);
        if (message) problems.push({ path: at(key, position), message });
      });
    }
    const literals = segments.filter((segment) => 'literal' in segment).length;
    for (const other of patterns) {
      if (other.literals === literals && overlaps(other.segments, segments)) {
        problems.push({
          path: at('id'),
          message: `"${spec.id}" and "${specs[other.index]?.id}" (labels[${other.index}]) match the same ids equally well; make one more specific`,
        });
      }
    }
    patterns.push({ index, segments, literals });
  });
  return problems;
}

function catalogueLabel(spec: LabelSpec): CatalogueLabel {
  const segments = segmentsOf(spec.id) as Segment[];
  return Object.freeze({
    id: spec.id,
    description: spec.description,
    parameters: Object.freeze(segments.flatMap((segment) => ('parameter' in segment ? [segment.parameter] : []))),
    readers: Object.freeze([...(spec.readers ?? [])]),
    stewards: Object.freeze([...(spec.stewards ?? [])]),
  });
}

/** `sales-pipeline:{region}` → segments, or why it is not a label id. */
function segmentsOf(id: string): Segment[] | string {
  const why = 'a lower-case label id such as `patient-record`, `ward:3` or `ward:{ward}`';
  if (id.length === 0 || id.length > MAX_LABEL_ID) return why;
  const segments: Segment[] = [];
  for (const [position, part] of id.split(':').entries()) {
    const parameter = PARAMETER_SEGMENT.exec(part)?.[1];
    if (parameter !== undefined && position > 0) segments.push({ parameter });
    else if (LITERAL.test(part)) segments.push({ literal: part });
    else return position === 0 && parameter !== undefined ? `${why}; it must start with a fixed name` : why;
  }
  return segments;
}

function audienceProblem(entry: string, parameters: readonly string[]): string | undefined {
  if (entry === 'everyone') return undefined;
  for (const [, name] of entry.matchAll(AUDIENCE_PARAMETER)) {
    if (!parameters.includes(name as string)) {
      return parameters.length === 0
        ? `"${entry}" names {${name}}, but the label takes no parameter`
        : `"${entry}" names {${name}}; the label's parameters are ${parameters.map((p) => `{${p}}`).join(', ')}`;
    }
  }
  // What is left once every parameter holds a value must be a group name or a user id.
  const filled = entry.replace(AUDIENCE_PARAMETER, 'x');
  if (filled.startsWith('user:')) {
    return USER_ID.test(filled.slice(5)) ? undefined : `"${entry}": write user:<id> with a person's id`;
  }
  if (filled.startsWith('group:')) return `"${entry}": write the group's name alone (${entry.slice(6)})`;
  return GROUP_NAME.test(filled) ? undefined : `"${entry}" is not a group name, user:<id> or everyone`;
}

function audienceEntry(entry: string): AudienceEntry {
  if (entry === 'everyone') return { everyone: true };
  if (entry.startsWith('user:')) return { user: entry.slice(5) };
  return { group: entry };
}

function audienceOf(entries: readonly AudienceEntry[], parameters: Readonly<Record<string, string>>): Audience {
  const fill = (template: string) =>
    template.replace(AUDIENCE_PARAMETER, (_, name: string) => parameters[name] as string);
  const groups = new Set<string>();
  const users = new Set<string>();
  let all = false;
  for (const entry of entries) {
    if ('everyone' in entry) all = true;
    else if ('group' in entry) groups.add(fill(entry.group));
    else users.add(fill(entry.user));
  }
  return { everyone: all, groups: [...groups], users: [...users] };
}

/** The parameter values when `parts` (a concrete id split on `:`) matches the segments. */
function match(segments: readonly Segment[], parts: readonly string[]): Record<string, string> | undefined {
  if (segments.length !== parts.length) return undefined;
  const parameters: Record<string, string> = {};
  for (const [index, segment] of segments.entries()) {
    const part = parts[index] as string;
    if ('literal' in segment) {
      if (segment.literal !== part) return undefined;
    } else {
      if (part.length > MAX_PARAMETER_VALUE || !LABEL_PARAMETER_VALUE.test(part)) return undefined;
      parameters[segment.parameter] = part;
    }
  }
  return parameters;
}

/** Whether some concrete id matches both patterns. */
function overlaps(a: readonly Segment[], b: readonly Segment[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((segment, index) => {
    const other = b[index] as Segment;
    return !('literal' in segment && 'literal' in other) || segment.literal === other.literal;
  });
}

function unknown(labelId: string): ResolvedLabel {
  return { id: labelId, kind: UNKNOWN_LABEL_KIND, parameters: {}, readers: nobody(), stewards: nobody() };
}

/** A key path as `behalf.yaml` problems spell it: `labels[2].readers[0]`. */
export function dottedKey(path: readonly (string | number)[]): string {
  return path.map((key, index) => (typeof key === 'number' ? `[${key}]` : index === 0 ? key : `.${key}`)).join('');
}
