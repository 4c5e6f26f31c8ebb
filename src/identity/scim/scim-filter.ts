import { canonicalName, isJsonObject, type ScimJson } from './scim-attributes.ts';
import { ScimError } from './scim-error.ts';
import { SCIM_GROUP_SCHEMA, SCIM_USER_SCHEMA } from './scim-schemas.ts';

/** `[URI ":"] attr ["." sub]` (RFC 7644 §3.4.2.2), names in canonical spelling. */
export interface AttrPath {
  /** An extension schema URI (the core schemas' own URIs are dropped: their attributes are top-level). */
  uri?: string;
  attr: string;
  sub?: string;
}

export type CompareOp = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'lt' | 'ge' | 'le';
export type FilterValue = string | number | boolean | null;

/** A parsed SCIM filter. */
export type ScimFilter =
  | { kind: 'compare'; path: AttrPath; op: CompareOp; value: FilterValue }
  | { kind: 'present'; path: AttrPath }
  | { kind: 'and' | 'or'; left: ScimFilter; right: ScimFilter }
  | { kind: 'not'; filter: ScimFilter }
  | { kind: 'valuePath'; path: AttrPath; filter: ScimFilter };

const COMPARE_OPS = new Set<string>(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'lt', 'ge', 'le']);
const CORE_URIS = new Set([SCIM_USER_SCHEMA.toLowerCase(), SCIM_GROUP_SCHEMA.toLowerCase()]);
const MAX_DEPTH = 16;

type Token = { type: 'word'; text: string } | { type: 'string'; text: string } | { type: '(' | ')' | '[' | ']' };

/**
 * Parses a SCIM filter: every form of RFC 7644 §3.4.2.2 — comparisons (`eq`, `ne`, `co`, `sw`,
 * `ew`, `gt`, `lt`, `ge`, `le`), `pr`, `and`, `or`, `not (…)`, grouping and value paths
 * (`emails[type eq "work"]`). What Okta and Entra ID send is `userName eq "…"`,
 * `externalId eq "…"` and `displayName eq "…"`.
 *
 * @throws ScimError 400 `invalidFilter`
 */
export function parseFilter(text: string): ScimFilter {
  const parser = new Parser(tokenize(text));
  const filter = parser.filter(0);
  parser.end();
  return filter;
}

/** Parses an attribute path (`name.givenName`, `urn:…:enterprise:2.0:User:manager`). */
export function parseAttrPath(text: string): AttrPath | undefined {
  let rest = text;
  let uri: string | undefined;
  if (/^urn:/i.test(rest)) {
    const colon = rest.lastIndexOf(':');
    uri = canonicalName(rest.slice(0, colon));
    rest = rest.slice(colon + 1);
    if (CORE_URIS.has(uri.toLowerCase())) uri = undefined;
  }
  const parts = rest.split('.');
  if (parts.length > 2 || parts.some((part) => !/^[A-Za-z$][\w$-]*$/.test(part))) return undefined;
  const [attr, sub] = parts as [string, string | undefined];
  return { ...(uri ? { uri } : {}), attr: canonicalName(attr), ...(sub ? { sub: canonicalName(sub) } : {}) };
}

/** Whether `resource` (or one element of a multi-valued attribute) matches the filter. */
export function matchesFilter(resource: ScimJson, filter: ScimFilter): boolean {
  switch (filter.kind) {
    case 'and':
      return matchesFilter(resource, filter.left) && matchesFilter(resource, filter.right);
    case 'or':
      return matchesFilter(resource, filter.left) || matchesFilter(resource, filter.right);
    case 'not':
      return !matchesFilter(resource, filter.filter);
    case 'present':
      return valuesAt(resource, filter.path).some((value) => value !== null && value !== '' && value !== undefined);
    case 'valuePath': {
      const container = containerOf(resource, filter.path);
      const list = container?.[filter.path.attr];
      const elements = Array.isArray(list) ? list : list === undefined ? [] : [list];
      return elements.some((element) => isJsonObject(element) && matchesFilter(element, filter.filter));
    }
    case 'compare':
      return valuesAt(resource, filter.path).some((value) => compare(value, filter.op, filter.value));
  }
}

/** The object an attribute path's attribute lives in: the resource, or one of its extensions. */
export function containerOf(resource: ScimJson, path: AttrPath): ScimJson | undefined {
  if (!path.uri) return resource;
  const extension = resource[path.uri];
  return isJsonObject(extension) ? extension : undefined;
}

function valuesAt(resource: ScimJson, path: AttrPath): unknown[] {
  const value = containerOf(resource, path)?.[path.attr];
  const values = Array.isArray(value) ? value : [value];
  if (!path.sub) return values.flatMap((item) => (isJsonObject(item) && 'value' in item ? [item.value] : [item]));
  const sub = path.sub;
  return values.flatMap((item) => (isJsonObject(item) ? [item[sub]] : []));
}

function compare(actual: unknown, op: CompareOp, expected: FilterValue): boolean {
  if (actual === undefined) return op === 'ne' ? expected !== null : false;
  if (typeof actual === 'string' && typeof expected === 'string') {
    // Behalf's attributes are all case-insensitive ("caseExact": false), ids included: they are lower-case.
    const a = actual.toLowerCase();
    const b = expected.toLowerCase();
    switch (op) {
      case 'eq':
        return a === b;
      case 'ne':
        return a !== b;
      case 'co':
        return a.includes(b);
      case 'sw':
        return a.startsWith(b);
      case 'ew':
        return a.endsWith(b);
      case 'gt':
        return a > b;
      case 'lt':
        return a < b;
      case 'ge':
        return a >= b;
      case 'le':
        return a <= b;
    }
  }
  if (op === 'eq') return actual === expected;
  if (op === 'ne') return actual !== expected;
  if (typeof actual === 'number' && typeof expected === 'number') {
    if (op === 'gt') return actual > expected;
    if (op === 'lt') return actual < expected;
    if (op === 'ge') return actual >= expected;
    if (op === 'le') return actual <= expected;
  }
  return false;
}

function invalid(detail: string): ScimError {
  return new ScimError(400, `Invalid filter: ${detail}`, 'invalidFilter');
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < text.length) {
    const char = text[index] as string;
    if (/\s/.test(char)) {
      index += 1;
    } else if (char === '(' || char === ')' || char === '[' || char === ']') {
      tokens.push({ type: char });
      index += 1;
    } else if (char === '"') {
      // A JSON string literal (RFC 7644: compValue strings are JSON strings).
      let end = index + 1;
      while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      if (end >= text.length) throw invalid('unterminated string');
      try {
        tokens.push({ type: 'string', text: JSON.parse(text.slice(index, end + 1)) as string });
      } catch {
        throw invalid('malformed string');
      }
      index = end + 1;
    } else {
      let end = index;
      while (end < text.length && !/[\s()[\]"]/.test(text[end] as string)) end += 1;
      tokens.push({ type: 'word', text: text.slice(index, end) });
      index = end;
    }
  }
  return tokens;
}

class Parser {
  private index = 0;
  constructor(private readonly tokens: Token[]) {}

  filter(depth: number): ScimFilter {
    if (depth > MAX_DEPTH) throw invalid('nested too deeply');
    let left = this.conjunction(depth);
    while (this.peekWord('or')) {
      this.index += 1;
      left = { kind: 'or', left, right: this.conjunction(depth) };
    }
    return left;
  }

  end(): void {
    if (this.index < this.tokens.length) throw invalid('unexpected text after the filter');
  }

  private conjunction(depth: number): ScimFilter {
    let left = this.unary(depth);
    while (this.peekWord('and')) {
      this.index += 1;
      left = { kind: 'and', left, right: this.unary(depth) };
    }
    return left;
  }

  private unary(depth: number): ScimFilter {
    const token = this.next('an attribute, "not" or "("');
    if (token.type === '(') {
      const inner = this.filter(depth + 1);
      this.expect(')');
      return inner;
    }
    if (token.type === 'word' && token.text.toLowerCase() === 'not' && this.tokens[this.index]?.type === '(') {
      this.index += 1;
      const inner = this.filter(depth + 1);
      this.expect(')');
      return { kind: 'not', filter: inner };
    }
    if (token.type !== 'word') throw invalid('expected an attribute');
    const path = parseAttrPath(token.text);
    if (!path) throw invalid(`${JSON.stringify(token.text.slice(0, 60))} is not an attribute path`);
    if (this.tokens[this.index]?.type === '[') {
      this.index += 1;
      const inner = this.filter(depth + 1);
      this.expect(']');
      return { kind: 'valuePath', path, filter: inner };
    }
    const operator = this.next('an operator');
    const op = operator.type === 'word' ? operator.text.toLowerCase() : '';
    if (op === 'pr') return { kind: 'present', path };
    if (!COMPARE_OPS.has(op)) throw invalid('expected an operator (eq, ne, co, sw, ew, gt, lt, ge, le, pr)');
    return { kind: 'compare', path, op: op as CompareOp, value: this.value() };
  }

  private value(): FilterValue {
    const token = this.next('a value');
    if (token.type === 'string') return token.text;
    if (token.type !== 'word') throw invalid('expected a value');
    const word = token.text.toLowerCase();
    if (word === 'true') return true;
    if (word === 'false') return false;
    if (word === 'null') return null;
    if (/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(token.text)) return Number(token.text);
    throw invalid('a value is a quoted string, a number, true, false or null');
  }

  private next(what: string): Token {
    const token = this.tokens[this.index];
    if (!token) throw invalid(`expected ${what}`);
    this.index += 1;
    return token;
  }

  private expect(type: ')' | ']'): void {
    if (this.next(`"${type}"`).type !== type) throw invalid(`expected "${type}"`);
  }

  private peekWord(word: string): boolean {
    const token = this.tokens[this.index];
    return token?.type === 'word' && token.text.toLowerCase() === word;
  }
}
