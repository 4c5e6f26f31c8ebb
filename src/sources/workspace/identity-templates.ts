import { PLAIN_IDENTIFIER } from '../query-roles.ts';
import { SqlQueryError } from '../sql-query-error.ts';
import type { SourcePerson, SqlIdentityProfile } from '../types.ts';

/**
 * Identity conventions of a workspace source (SPEC §12): how the person who asked is presented
 * to a database whose own row-level security decides what they see.
 *
 * - `postgrest`, what PostgREST and Supabase do: the role, `request.jwt.claims` (the JSON of the
 *   claims) and the legacy `request.jwt.claim.<name>` per top-level claim, so policies written
 *   with `auth.uid()`, `auth.jwt()`, `auth.role()` or `current_setting('request.jwt.claims')`
 *   work unchanged. A `role` claim is added (the configured role) unless one is declared.
 * - `settings`: named transaction-local settings (`app.user_id`) for home-grown RLS.
 *
 * Values are templated from the person: `{{user.id}}`, `{{user.name}}`, `{{user.email}}`,
 * `{{user.groups}}`, `{{user.attributes.<name>}}`, `{{user.claims.<name>}}` (OIDC claims, dotted
 * for nested ones). In a claim, a value that is exactly one placeholder keeps its type (groups a
 * JSON array, a numeric attribute a number); inside text, and in settings, groups are
 * comma-separated. A placeholder without a value for the person (no email, no such attribute:
 * missing, null or empty) refuses the query: nobody is presented to the database half-identified.
 */

/** The identity part of a workspace source (`identity:` in behalf.yaml). */
export type IdentitySpec =
  | {
      convention: 'postgrest';
      role: string;
      claims: Readonly<Record<string, string | number | boolean | readonly (string | number | boolean)[]>>;
    }
  | { convention: 'settings'; role: string; settings: Readonly<Record<string, string>> };

/** A template value that names something of the person. */
type Placeholder =
  | { kind: 'id' | 'name' | 'email' | 'groups'; text: string }
  | { kind: 'attribute' | 'claim'; name: string; text: string };

type Segment = string | Placeholder;

const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;
const PLACEHOLDER_BODY =
  /^user\.(id|name|email|groups|attributes\.([A-Za-z_][A-Za-z0-9_]*)|claims\.([A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*))$/;
/** A custom setting's name: two or more identifier parts (PostgreSQL's rule for placeholders). */
const SETTING = /^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*)+$/;
/** Claim names that also get a legacy `request.jwt.claim.<name>` setting. */
const LEGACY_CLAIM = /^[A-Za-z_][A-Za-z0-9_$]*$/;
/** Prefixes of settings that belong to PostgreSQL or an extension, never to identity. */
const RESERVED_PREFIXES = ['pg_', 'plpgsql.', 'auto_explain.', 'pgaudit.', 'pgsodium.', 'supautils.', 'pgrst.'];
const MAX_CLAIMS = 64;

/** A mistake in the identity declaration itself (not about one person): the source does not open. */
export class IdentityTemplateError extends Error {
  override readonly name = 'IdentityTemplateError';
}

function parseTemplate(template: string, where: string): Segment[] {
  const segments: Segment[] = [];
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    if (match.index > last) segments.push(template.slice(last, match.index));
    const body = (match[1] ?? '').trim();
    const parsed = PLACEHOLDER_BODY.exec(body);
    if (!parsed) {
      throw new IdentityTemplateError(
        `${where}: unknown placeholder {{${body}}}: use {{user.id}}, {{user.name}}, {{user.email}}, {{user.groups}}, ` +
          '{{user.attributes.<name>}} or {{user.claims.<name>}}',
      );
    }
    const text = `{{${body}}}`;
    if (parsed[2]) segments.push({ kind: 'attribute', name: parsed[2], text });
    else if (parsed[3]) segments.push({ kind: 'claim', name: parsed[3], text });
    else segments.push({ kind: parsed[1] as 'id' | 'name' | 'email' | 'groups', text });
    last = match.index + match[0].length;
  }
  if (last < template.length) segments.push(template.slice(last));
  if (segments.some((segment) => typeof segment === 'string' && /\{\{|\}\}/.test(segment))) {
    throw new IdentityTemplateError(`${where}: unbalanced {{ }} in "${template}"`);
  }
  return segments;
}

/** The person's raw value for a placeholder; `undefined` when they have none. */
function rawValue(placeholder: Placeholder, person: SourcePerson): unknown {
  switch (placeholder.kind) {
    case 'id':
      return person.id;
    case 'name':
      return person.name;
    case 'email':
      return person.email;
    case 'groups':
      return [...person.groups];
    case 'attribute':
      return person.attributes?.[placeholder.name];
    case 'claim': {
      let value: unknown = person.claims;
      for (const key of placeholder.name.split('.')) {
        if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
        value = (value as Record<string, unknown>)[key];
      }
      return value;
    }
  }
}

function isMissing(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

/** A value as text: groups (and any array of scalars) comma-separated, objects as JSON. */
function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((item) => typeof item !== 'object' || item === null)) {
    return value.map(String).join(',');
  }
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Collects what cannot be filled instead of throwing, so one pass reports every gap. */
class Filler {
  readonly missing = new Set<string>();
  constructor(readonly person: SourcePerson) {}

  value(placeholder: Placeholder): unknown {
    const value = rawValue(placeholder, this.person);
    if (isMissing(value)) this.missing.add(placeholder.text);
    return value;
  }

  /** The template as text. */
  text(segments: readonly Segment[]): string {
    return segments.map((segment) => (typeof segment === 'string' ? segment : asText(this.value(segment)))).join('');
  }

  /** The template as a JSON value: one placeholder alone keeps its type. */
  json(segments: readonly Segment[]): unknown {
    const [only] = segments;
    if (segments.length === 1 && only !== undefined && typeof only !== 'string') return this.value(only);
    return this.text(segments);
  }
}

type ClaimTemplate =
  | { kind: 'literal'; value: number | boolean }
  | { kind: 'one'; segments: Segment[] }
  | { kind: 'list'; items: (Segment[] | number | boolean)[] };

/** An identity declaration, checked once: it fills settings for any person. */
export interface CompiledIdentity extends SqlIdentityProfile {
  /** The placeholders `person` has no value for (`{{user.email}}`...); empty when they can query. */
  missingValues(person: SourcePerson): string[];
  /** The names of the settings it sets (for doctor and the administrator's page). */
  readonly settingNames: readonly string[];
}

/**
 * Checks an identity declaration and compiles it. Throws `IdentityTemplateError` for what is
 * wrong whoever asks: an unknown placeholder, a malformed role or setting name, a setting that
 * belongs to PostgreSQL or an extension.
 */
export function compileIdentity(spec: IdentitySpec, where = 'identity'): CompiledIdentity {
  if (!PLAIN_IDENTIFIER.test(spec.role)) {
    throw new IdentityTemplateError(`${where}.role: "${spec.role}" is not a plain lower-case role name`);
  }
  if (spec.convention === 'settings') {
    const settings = Object.entries(spec.settings).map(([name, template]) => {
      if (!SETTING.test(name) || RESERVED_PREFIXES.some((prefix) => name.toLowerCase().startsWith(prefix))) {
        throw new IdentityTemplateError(
          `${where}.settings: "${name}" is not a custom setting name of your own, such as app.user_id`,
        );
      }
      return { name, segments: parseTemplate(template, `${where}.settings.${name}`) };
    });
    if (settings.length === 0) throw new IdentityTemplateError(`${where}.settings: declare at least one setting`);
    const fill = (person: SourcePerson) => {
      const filler = new Filler(person);
      const values = settings.map(({ name, segments }) => [name, filler.text(segments)] as const);
      return { values, missing: [...filler.missing] };
    };
    return profile(
      spec.convention,
      spec.role,
      fill,
      settings.map(({ name }) => name),
    );
  }
  const entries = Object.entries(spec.claims);
  if (entries.length > MAX_CLAIMS) throw new IdentityTemplateError(`${where}.claims: at most ${MAX_CLAIMS} claims`);
  const claims = entries.map(([name, value]): [string, ClaimTemplate] => {
    const at = `${where}.claims.${name}`;
    if (typeof value === 'number' || typeof value === 'boolean') return [name, { kind: 'literal', value }];
    if (typeof value === 'string') return [name, { kind: 'one', segments: parseTemplate(value, at) }];
    return [
      name,
      {
        kind: 'list',
        items: value.map((item, index) => (typeof item === 'string' ? parseTemplate(item, `${at}[${index}]`) : item)),
      },
    ];
  });
  if (!claims.some(([name]) => name === 'role')) claims.push(['role', { kind: 'one', segments: [spec.role] }]);
  const legacy = claims.map(([name]) => name).filter((name) => LEGACY_CLAIM.test(name));
  const fill = (person: SourcePerson) => {
    const filler = new Filler(person);
    const document: Record<string, unknown> = {};
    for (const [name, template] of claims) {
      if (template.kind === 'literal') document[name] = template.value;
      else if (template.kind === 'one') document[name] = filler.json(template.segments);
      else {
        // A whole-list placeholder inside a list (`[staff, "{{user.groups}}"]`) is spread into it.
        document[name] = template.items.flatMap((item) => {
          if (!Array.isArray(item)) return [item];
          const value = filler.json(item);
          return Array.isArray(value) ? value : [value];
        });
      }
    }
    const values: (readonly [string, string])[] = [['request.jwt.claims', JSON.stringify(document)]];
    for (const name of legacy) {
      const value = document[name];
      values.push([`request.jwt.claim.${name}`, typeof value === 'string' ? value : JSON.stringify(value)]);
    }
    return { values, missing: [...filler.missing] };
  };
  return profile(spec.convention, spec.role, fill, [
    'request.jwt.claims',
    ...legacy.map((name) => `request.jwt.claim.${name}`),
  ]);
}

function profile(
  convention: 'postgrest' | 'settings',
  role: string,
  fill: (person: SourcePerson) => { values: (readonly [string, string])[]; missing: string[] },
  settingNames: string[],
): CompiledIdentity {
  return {
    convention,
    readerRole: role,
    settingNames,
    missingValues: (person) => fill(person).missing,
    settingsFor(person) {
      const { values, missing } = fill(person);
      if (missing.length > 0) {
        throw new SqlQueryError(
          'unidentified',
          `cannot act as ${person.id} on this data source: it identifies people by ${missing.join(', ')}, ` +
            `and ${person.id} has no value for ${missing.length === 1 ? 'it' : 'them'}`,
        );
      }
      return values;
    },
  };
}

/**
 * The placeholders of `identity` that `person` cannot fill (`{{user.attributes.uid}}`...), empty
 * when every query of theirs can be identified; what `behalf doctor` reports per person. Throws
 * `IdentityTemplateError` when the declaration itself is wrong.
 */
export function missingIdentityValues(identity: IdentitySpec, person: SourcePerson): string[] {
  return compileIdentity(identity).missingValues(person);
}
