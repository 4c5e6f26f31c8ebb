import {
  canonicalize,
  canonicalName,
  isJsonObject,
  MULTI_VALUED,
  READ_ONLY,
  type ScimJson,
} from './scim-attributes.ts';
import { ScimError } from './scim-error.ts';
import { type AttrPath, matchesFilter, parseAttrPath, parseFilter, type ScimFilter } from './scim-filter.ts';
import type { ScimPatchOperation } from './scim-schemas.ts';

/** A PATCH path: `attr`, `attr.sub`, `urn:…:attr`, `attr[filter]` or `attr[filter].sub` (RFC 7644 §3.5.2). */
export interface PatchPath {
  attr: AttrPath;
  filter?: ScimFilter;
  /** The sub-attribute after a value filter (`emails[type eq "work"].value`). */
  sub?: string;
}

/**
 * Parses a PATCH path.
 *
 * @throws ScimError 400 `invalidPath`
 */
export function parsePatchPath(text: string): PatchPath {
  const refuse = () => new ScimError(400, `Invalid path ${JSON.stringify(text.slice(0, 200))}`, 'invalidPath');
  const bracket = text.indexOf('[');
  if (bracket < 0) {
    const attr = parseAttrPath(text);
    if (!attr) throw refuse();
    return { attr };
  }
  const close = text.lastIndexOf(']');
  const attr = parseAttrPath(text.slice(0, bracket));
  if (close < bracket || !attr || attr.sub) throw refuse();
  let filter: ScimFilter;
  try {
    filter = parseFilter(text.slice(bracket + 1, close));
  } catch {
    throw refuse();
  }
  const rest = text.slice(close + 1);
  if (rest === '') return { attr, filter };
  const sub = /^\.([A-Za-z$][\w$-]*)$/.exec(rest)?.[1];
  if (!sub) throw refuse();
  return { attr, filter, sub: canonicalName(sub) };
}

/**
 * Applies PATCH operations, in order, to a resource in its SCIM JSON form and returns the
 * result (the input is not changed); the caller validates the result as it validates a PUT.
 * Covers what Okta and Entra ID send: `replace` without a path and an object value
 * (`{"op":"replace","value":{"active":false}}`), with a path and a plain value
 * (`{"op":"Replace","path":"active","value":"False"}`), value filters
 * (`emails[type eq "work"].value`, `members[value eq "…"]`), `add`/`remove` of members with a
 * list value, and extension attributes by URI. Operations on attributes Behalf does not know,
 * or on read-only ones (`id`, `meta`, `groups`), change nothing (RFC 7643 §3: ignored).
 *
 * @param extensions schema URIs of extensions the resource may hold (their attributes are nested under the URI)
 * @throws ScimError 400 (`invalidPath`, `noTarget`, `invalidValue`)
 */
export function applyPatch(
  resource: ScimJson,
  operations: readonly ScimPatchOperation[],
  extensions: readonly string[] = [],
): ScimJson {
  const result = structuredClone(resource);
  const isExtension = (name: string) => extensions.some((uri) => uri.toLowerCase() === name.toLowerCase());
  for (const operation of operations) {
    const value = canonicalize(operation.value);
    const path = operation.path?.trim();
    if (path && isExtension(path)) {
      // The whole extension as the target: its attributes are in the value.
      applyWithoutPath(result, operation.op, { [canonicalName(path)]: value }, isExtension);
    } else if (path) {
      applyAtPath(result, operation.op, parsePatchPath(path), value, isExtension);
    } else {
      if (operation.op === 'remove') throw new ScimError(400, 'A remove operation needs a path', 'noTarget');
      applyWithoutPath(result, operation.op, value, isExtension);
    }
  }
  return result;
}

type Op = ScimPatchOperation['op'];

function applyWithoutPath(resource: ScimJson, op: Op, value: unknown, isExtension: (name: string) => boolean): void {
  if (!isJsonObject(value)) {
    throw new ScimError(400, 'Without a path, the value is an object of attributes', 'invalidValue');
  }
  for (const [key, item] of Object.entries(value)) {
    if (isExtension(key)) {
      if (!isJsonObject(item)) throw new ScimError(400, `${key} is an object of attributes`, 'invalidValue');
      const extension = objectAt(resource, key);
      for (const [name, inner] of Object.entries(item)) setAttribute(extension, name, inner, op);
    } else if (/[.[]/.test(key) || /^urn:/i.test(key)) {
      // Entra ID may put paths in the keys (`"name.givenName": "Ana"`).
      applyAtPath(resource, op, parsePatchPath(key), item, isExtension);
    } else {
      setAttribute(resource, key, item, op);
    }
  }
}

function applyAtPath(
  resource: ScimJson,
  op: Op,
  path: PatchPath,
  value: unknown,
  isExtension: (name: string) => boolean,
): void {
  const { attr } = path;
  if (attr.uri && !isExtension(attr.uri)) return; // an extension Behalf does not keep
  if (READ_ONLY.has(attr.attr)) return;
  const container = attr.uri
    ? op === 'remove'
      ? existingObject(resource, attr.uri)
      : objectAt(resource, attr.uri)
    : resource;
  if (!container) return;
  if (path.filter) {
    applyToMatches(container, op, attr.attr, path.filter, path.sub, value);
    return;
  }
  if (attr.sub) {
    applyToSub(container, op, attr.attr, attr.sub, value);
    return;
  }
  if (op === 'remove') {
    const current = container[attr.attr];
    if (MULTI_VALUED.has(attr.attr) && Array.isArray(current) && value !== undefined) {
      // Entra ID removes members by listing them: {"op":"Remove","path":"members","value":[{"value":"…"}]}
      const gone = new Set(listOf(value).map(identity));
      container[attr.attr] = current.filter((element) => !gone.has(identity(element)));
    } else {
      delete container[attr.attr];
    }
    return;
  }
  setAttribute(container, attr.attr, value, op);
}

/** `attr[filter]` and `attr[filter].sub`. */
function applyToMatches(
  container: ScimJson,
  op: Op,
  attr: string,
  filter: ScimFilter,
  sub: string | undefined,
  value: unknown,
): void {
  const current = container[attr];
  const list: unknown[] = Array.isArray(current) ? [...current] : current === undefined ? [] : [current];
  const matches = list.flatMap((element, index) =>
    isJsonObject(element) && matchesFilter(element, filter) ? [index] : [],
  );
  if (op === 'remove') {
    if (sub) {
      for (const index of matches) delete (list[index] as ScimJson)[sub];
      container[attr] = list;
    } else {
      container[attr] = list.filter((_, index) => !matches.includes(index));
    }
    return;
  }
  if (matches.length === 0) {
    // Entra ID replaces `emails[type eq "work"].value` on a user who has no work email yet:
    // the element the filter describes is created.
    const seed = elementFrom(filter);
    if (!seed) throw new ScimError(400, `No ${attr} value matches the path's filter`, 'noTarget');
    list.push(seed);
    matches.push(list.length - 1);
  }
  for (const index of matches) {
    const element = list[index] as ScimJson;
    if (sub) element[sub] = value;
    else if (isJsonObject(value)) list[index] = op === 'replace' ? { ...value } : { ...element, ...value };
    else throw new ScimError(400, `A ${attr} value is an object`, 'invalidValue');
  }
  container[attr] = list;
}

/** `attr.sub`: a complex attribute's sub-attribute, or that sub-attribute of every value of a multi-valued one. */
function applyToSub(container: ScimJson, op: Op, attr: string, sub: string, value: unknown): void {
  const current = container[attr];
  if (MULTI_VALUED.has(attr)) {
    const list = Array.isArray(current) ? current.filter(isJsonObject).map((element) => ({ ...element })) : [];
    if (op === 'remove') for (const element of list) delete element[sub];
    else if (list.length === 0) list.push({ [sub]: value });
    else for (const element of list) element[sub] = value;
    container[attr] = list;
    return;
  }
  if (op === 'remove') {
    if (isJsonObject(current)) delete current[sub];
    return;
  }
  objectAt(container, attr)[sub] = value;
}

/** `add` or `replace` of one attribute named in a value object, or by a path without filter or sub-attribute. */
function setAttribute(container: ScimJson, key: string, value: unknown, op: Op): void {
  const name = canonicalName(key);
  if (READ_ONLY.has(name) || name === '__proto__') return;
  const current = container[name];
  if (MULTI_VALUED.has(name)) {
    const values = listOf(value);
    if (op === 'replace' || !Array.isArray(current)) {
      container[name] = values;
      return;
    }
    const seen = new Set(current.map(identity));
    container[name] = [...current, ...values.filter((item) => !seen.has(identity(item)))];
    return;
  }
  // A complex attribute (`name`): the sub-attributes given replace theirs, the others stay.
  container[name] = isJsonObject(value) && isJsonObject(current) ? { ...current, ...value } : value;
}

/** The element a value filter of `eq` comparisons describes (`type eq "work"` → `{ type: "work" }`). */
function elementFrom(filter: ScimFilter): ScimJson | undefined {
  if (filter.kind === 'compare' && filter.op === 'eq' && !filter.path.uri && !filter.path.sub) {
    return { [filter.path.attr]: filter.value };
  }
  if (filter.kind === 'and') {
    const left = elementFrom(filter.left);
    const right = elementFrom(filter.right);
    return left && right ? { ...left, ...right } : undefined;
  }
  return undefined;
}

function listOf(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** How two values of a multi-valued attribute are told apart: their `value` (case-insensitively). */
function identity(element: unknown): string {
  const value = isJsonObject(element) ? element.value : element;
  return typeof value === 'string' ? value.toLowerCase() : JSON.stringify(value);
}

function objectAt(container: ScimJson, key: string): ScimJson {
  const current = container[key];
  if (isJsonObject(current)) return current;
  const created: ScimJson = {};
  container[key] = created;
  return created;
}

function existingObject(container: ScimJson, key: string): ScimJson | undefined {
  const current = container[key];
  return isJsonObject(current) ? current : undefined;
}
