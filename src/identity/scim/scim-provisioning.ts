import type { ZodType } from 'zod';
import type { AuditLog } from '../../audit/audit-log.ts';
import type { Clock } from '../../shared/clock.ts';
import { canonicalJson, sha256Hex } from '../../shared/hash.ts';
import { isActiveUser } from '../active-users.ts';
import type { GroupRecord, User, UserId, UserStore } from '../types.ts';
import { canonicalize, isJsonObject, type ScimJson } from './scim-attributes.ts';
import { resourceTypes, schemas, serviceProviderConfig } from './scim-discovery.ts';
import { ScimError, scimNotFound } from './scim-error.ts';
import { matchesFilter, parseAttrPath, parseFilter } from './scim-filter.ts';
import { firstFree, groupNameCandidate, userIdCandidate } from './scim-names.ts';
import { applyPatch } from './scim-patch.ts';
import {
  attributesOf,
  displayNameOf,
  emailOf,
  managerOf,
  scimUserName,
  toScimGroup,
  toScimUser,
} from './scim-resources.ts';
import {
  SCIM_ENTERPRISE_USER_SCHEMA,
  SCIM_LIST_RESPONSE_SCHEMA,
  SCIM_MAX_RESULTS,
  ScimGroupInput,
  type ScimListQuery,
  ScimPatchRequest,
  type ScimResourceQuery,
  ScimUserInput,
} from './scim-schemas.ts';

/** What provisioning is built from (by the composition root). */
export interface ScimProvisioningOptions {
  /** The user store itself: deprovisioned and deleted people included. */
  users: UserStore;
  /** Ends every session of a person and returns their hashes (`SessionService.endAllFor`). */
  sessions: { endAllFor(userId: UserId): Promise<string[]> };
  audit: Pick<AuditLog, 'append'>;
  clock: Clock;
}

/** A resource a write produced, and the sessions it ended (their WebSockets are the edge's to close). */
export interface ScimWriteResult {
  resource: ScimJson;
  endedSessions: string[];
}

/** A group as provisioning sees it: its record (if it has one) and the people who hold it. */
interface GroupEntry {
  name: string;
  displayName: string;
  externalId: string | null;
  record: GroupRecord | undefined;
  members: User[];
}

const USER_EXTENSIONS = [SCIM_ENTERPRISE_USER_SCHEMA];
const MAX_REASON_NAMES = 20;

/**
 * SCIM 2.0 provisioning (RFC 7643/7644; issue 9 point 2): an identity provider (Okta, Entra ID)
 * creates, updates, deactivates and deletes people and manages groups and their members.
 *
 * - **Ids.** The SCIM id of a User is the Behalf user id, assigned here from the `userName`
 *   (its local part when that is a valid id, else with a suffix, `ana-2`) and stable from then
 *   on, whatever the `userName` becomes. A person who exists already and was never provisioned
 *   (a workspace person) is **adopted**, not duplicated, when the new User's `userName` is their
 *   id or the `userName` or one of its emails is their email. The SCIM id of a Group is the
 *   group name policies use: its `displayName` normalized (`Sales EMEA` → `sales-emea`), or a
 *   group people already hold whose name matches without regard to case.
 * - **Deprovisioning** (`active: false`, or DELETE) takes effect at once: the person's sessions
 *   end (the result names them, so the edge closes their WebSockets) and every later decision
 *   about them denies (their version changes and the entity resolver knows only active people),
 *   including the next tool call of a turn they started (I3). A deleted person stays as an
 *   inactive tombstone, out of SCIM's sight: their id is never reused for someone else.
 * - **Groups.** Membership lives on the people, so adding or removing a member changes that
 *   person's version, and what they may read changes at the next decision (I3).
 * - Every change is audited (`scim.user.create`, `.update`, `.deactivate`, `.reactivate`,
 *   `.delete`, `scim.group.create`, `.update`, `.delete`), with no human requester: the
 *   identity provider acted. Writes are serialized in this process; the store's compare-and-set
 *   updates keep concurrent writers in other processes from losing changes.
 */
export class ScimProvisioning {
  private writes: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: ScimProvisioningOptions) {}

  // ------------------------------------------------------------------------------------------
  // Discovery

  serviceProviderConfig(base: string): ScimJson {
    return serviceProviderConfig(base);
  }

  resourceTypes(base: string): ScimJson[] {
    return resourceTypes(base);
  }

  schemas(base: string): ScimJson[] {
    return schemas(base);
  }

  // ------------------------------------------------------------------------------------------
  // Users

  /** `GET /Users`: every person not deleted, filtered and paged. */
  async listUsers(query: ScimListQuery): Promise<ScimJson> {
    const filter = query.filter ? parseFilter(query.filter) : undefined;
    const people = (await this.options.users.list()).filter((user) => user.deletedAt === null).map(toScimUser);
    return listResponse(
      people.filter((resource) => !filter || matchesFilter(resource, filter)),
      query,
    );
  }

  /** `GET /Users/:id`. */
  async getUser(id: string, query: ScimResourceQuery = {}): Promise<ScimJson> {
    return project(toScimUser(await this.existingUser(id)), query);
  }

  /** `POST /Users`: a new person, or a workspace person adopted. */
  createUser(body: unknown): Promise<ScimWriteResult> {
    const input = parse(ScimUserInput, canonicalize(body), 'invalidValue');
    return this.exclusive(async () => {
      const holder = await this.options.users.findByUserName(input.userName);
      if (holder) throw uniqueness(`userName ${JSON.stringify(input.userName)} is taken (by ${holder.id})`);
      const managerId = await this.checkedManager(managerOf(input), undefined);
      const fields = {
        name: displayNameOf(input),
        email: emailOf(input),
        active: input.active ?? true,
        userName: input.userName,
        externalId: input.externalId ?? null,
      };
      const adopted = await this.adoptable(input);
      let user: User | undefined;
      if (adopted) {
        user = await this.options.users.update(adopted.id, (current) => ({
          ...fields,
          title: input.title ?? current.title,
          managerId: managerId ?? current.managerId,
          attributes: attributesOf(input, current.attributes),
        }));
      } else {
        const id = await firstFree(
          userIdCandidate(input.userName),
          async (candidate) => (await this.options.users.get(candidate)) !== undefined,
        );
        user = await this.options.users.create({
          id,
          ...fields,
          title: input.title ?? '',
          groups: [],
          managerId,
          attributes: attributesOf(input, {}),
        });
      }
      if (!user) throw uniqueness(`userName ${JSON.stringify(input.userName)} is taken`);
      const endedSessions = isActiveUser(user) ? [] : await this.options.sessions.endAllFor(user.id);
      await this.record('scim.user.create', `user:${user.id}`, body, [
        adopted
          ? `adopted ${user.id} as ${JSON.stringify(input.userName)}`
          : `created ${user.id} as ${JSON.stringify(input.userName)}`,
        ...(isActiveUser(user) ? [] : ['inactive']),
      ]);
      return { resource: toScimUser(user), endedSessions };
    });
  }

  /** `PUT /Users/:id`: the User replaced (an `active` left out keeps its value; groups are not a User's to set). */
  replaceUser(id: string, body: unknown): Promise<ScimWriteResult> {
    const input = parse(ScimUserInput, canonicalize(body), 'invalidValue');
    return this.exclusive(async () => {
      const current = await this.existingUser(id);
      return this.writeUser(current, body, {
        name: displayNameOf(input),
        title: input.title ?? '',
        email: emailOf(input),
        active: input.active ?? current.active,
        userName: input.userName,
        externalId: input.externalId ?? null,
        attributes: attributesOf(input, current.attributes),
        managerId: await this.checkedManager(managerOf(input), current),
      });
    });
  }

  /** `PATCH /Users/:id`: the operations applied to the User as it is, the result checked like a PUT. */
  patchUser(id: string, body: unknown): Promise<ScimWriteResult> {
    const request = parse(ScimPatchRequest, body, 'invalidSyntax');
    return this.exclusive(async () => {
      const current = await this.existingUser(id);
      const before = toScimUser(current);
      const after = applyPatch(before, request.Operations, USER_EXTENSIONS);
      const input = parse(ScimUserInput, after, 'invalidValue');
      return this.writeUser(current, body, {
        name: patchedName(before, after, input, current.name),
        title: input.title ?? '',
        email: emailOf(input),
        active: input.active ?? current.active,
        userName: input.userName,
        externalId: input.externalId ?? null,
        attributes: attributesOf(input, current.attributes),
        managerId:
          managerOf(input) === current.managerId
            ? current.managerId
            : await this.checkedManager(managerOf(input), current),
      });
    });
  }

  /** `DELETE /Users/:id`: the person becomes an inactive tombstone; their sessions end. */
  deleteUser(id: string): Promise<{ endedSessions: string[] }> {
    return this.exclusive(async () => {
      const current = await this.existingUser(id);
      const deleted = await this.options.users.update(current.id, () => ({
        deletedAt: this.options.clock.now(),
        active: false,
        userName: null,
        externalId: null,
        email: null,
        attributes: {},
        groups: [],
      }));
      if (!deleted) throw scimNotFound('User', id);
      const endedSessions = await this.options.sessions.endAllFor(current.id);
      await this.record('scim.user.delete', `user:${current.id}`, undefined, [
        `deleted ${current.id} (was ${JSON.stringify(scimUserName(current))})`,
        ...sessionsNote(endedSessions),
      ]);
      return { endedSessions };
    });
  }

  // ------------------------------------------------------------------------------------------
  // Groups

  /** `GET /Groups`: group records and the groups people hold, filtered and paged. */
  async listGroups(query: ScimListQuery): Promise<ScimJson> {
    const filter = query.filter ? parseFilter(query.filter) : undefined;
    const groups = [...(await this.groups()).values()].map(groupResource);
    return listResponse(
      groups.filter((resource) => !filter || matchesFilter(resource, filter)),
      query,
    );
  }

  /** `GET /Groups/:id`. */
  async getGroup(id: string, query: ScimResourceQuery = {}): Promise<ScimJson> {
    return project(groupResource(await this.existingGroup(id)), query);
  }

  /** `POST /Groups`: a group record (adopting a group people hold already), with its first members. */
  createGroup(body: unknown): Promise<ScimWriteResult> {
    const input = parse(ScimGroupInput, canonicalize(body), 'invalidValue');
    return this.exclusive(async () => {
      const groups = await this.groups();
      const entries = [...groups.values()];
      const key = input.displayName.toLowerCase();
      const sameDisplay = entries.find((entry) => entry.displayName.toLowerCase() === key);
      const candidate = groupNameCandidate(input.displayName);
      const existing = sameDisplay ?? entries.find((entry) => entry.name.toLowerCase() === candidate.toLowerCase());
      if (existing?.record) {
        throw uniqueness(`A group ${JSON.stringify(existing.displayName)} (${existing.name}) exists already`);
      }
      const name = existing?.name ?? candidate;
      const wanted = memberIds(input);
      await this.checkMembers(wanted);
      const record: GroupRecord = {
        name,
        displayName: input.displayName,
        externalId: input.externalId ?? null,
        createdAt: this.options.clock.now(),
      };
      if (!(await this.options.users.createGroup(record))) {
        throw uniqueness(`A group ${JSON.stringify(input.displayName)} exists already`);
      }
      const current = existing?.members.map((member) => member.id) ?? [];
      const change = await this.setMembers(name, current, [...new Set([...current, ...wanted])]);
      await this.record('scim.group.create', `group:${name}`, body, [
        `${existing ? 'adopted' : 'created'} group ${name} as ${JSON.stringify(input.displayName)}`,
        ...membersNote(change),
      ]);
      return { resource: groupResource(await this.existingGroup(name)), endedSessions: [] };
    });
  }

  /** `PUT /Groups/:id`: display name, external id and the whole member list replaced. */
  replaceGroup(id: string, body: unknown): Promise<ScimWriteResult> {
    const input = parse(ScimGroupInput, canonicalize(body), 'invalidValue');
    return this.exclusive(async () => this.writeGroup(await this.existingGroup(id), input, body));
  }

  /** `PATCH /Groups/:id`: members added or removed (Okta's and Entra ID's forms), display name changed. */
  patchGroup(id: string, body: unknown): Promise<ScimWriteResult> {
    const request = parse(ScimPatchRequest, body, 'invalidSyntax');
    return this.exclusive(async () => {
      const entry = await this.existingGroup(id);
      const after = applyPatch(groupResource(entry), request.Operations);
      return this.writeGroup(entry, parse(ScimGroupInput, after, 'invalidValue'), body);
    });
  }

  /** `DELETE /Groups/:id`: everyone leaves the group and its record goes. */
  deleteGroup(id: string): Promise<void> {
    return this.exclusive(async () => {
      const entry = await this.existingGroup(id);
      const change = await this.setMembers(
        entry.name,
        entry.members.map((member) => member.id),
        [],
      );
      await this.options.users.deleteGroup(entry.name);
      await this.record('scim.group.delete', `group:${entry.name}`, undefined, [
        `deleted group ${entry.name} (${JSON.stringify(entry.displayName)})`,
        ...membersNote(change),
      ]);
    });
  }

  // ------------------------------------------------------------------------------------------
  // Internals

  private async writeUser(
    current: User,
    body: unknown,
    fields: Required<Pick<User, 'name' | 'title' | 'email' | 'active' | 'userName' | 'externalId' | 'attributes'>> & {
      managerId: UserId | null;
    },
  ): Promise<ScimWriteResult> {
    if (fields.userName !== null && fields.userName.toLowerCase() !== current.userName?.toLowerCase()) {
      const holder = await this.options.users.findByUserName(fields.userName);
      if (holder && holder.id !== current.id) {
        throw uniqueness(`userName ${JSON.stringify(fields.userName)} is taken (by ${holder.id})`);
      }
    }
    const updated = await this.options.users.update(current.id, () => fields);
    if (!updated) throw scimNotFound('User', current.id);
    const wasActive = isActiveUser(current);
    const isActive = isActiveUser(updated);
    // Ended whenever the person is inactive after the write, not only when this write made them
    // so: a sign-in racing an earlier deactivation cannot leave a session behind.
    const endedSessions = isActive ? [] : await this.options.sessions.endAllFor(updated.id);
    const action =
      wasActive && !isActive
        ? 'scim.user.deactivate'
        : !wasActive && isActive
          ? 'scim.user.reactivate'
          : 'scim.user.update';
    await this.record(action, `user:${updated.id}`, body, [
      updated.version === current.version ? 'no change' : describeUserChange(current, updated),
      ...sessionsNote(endedSessions),
    ]);
    return { resource: toScimUser(updated), endedSessions };
  }

  private async writeGroup(entry: GroupEntry, input: ScimGroupInput, body: unknown): Promise<ScimWriteResult> {
    const groups = await this.groups();
    const key = input.displayName.toLowerCase();
    const clash = [...groups.values()].find(
      (other) => other.name !== entry.name && other.displayName.toLowerCase() === key,
    );
    if (clash) throw uniqueness(`A group ${JSON.stringify(clash.displayName)} (${clash.name}) exists already`);
    const wanted = memberIds(input);
    const current = entry.members.map((member) => member.id);
    await this.checkMembers(wanted.filter((id) => !current.includes(id)));
    const externalId = input.externalId ?? null;
    if (entry.record) {
      if (entry.record.displayName !== input.displayName || entry.record.externalId !== externalId) {
        await this.options.users.updateGroup(entry.name, { displayName: input.displayName, externalId });
      }
    } else {
      await this.options.users.createGroup({
        name: entry.name,
        displayName: input.displayName,
        externalId,
        createdAt: this.options.clock.now(),
      });
    }
    const change = await this.setMembers(entry.name, current, wanted);
    const renamed =
      entry.displayName !== input.displayName ? [`display name ${JSON.stringify(input.displayName)}`] : [];
    await this.record('scim.group.update', `group:${entry.name}`, body, [
      ...renamed,
      ...membersNote(change),
      ...(renamed.length === 0 && change.added.length + change.removed.length === 0 ? ['no change'] : []),
    ]);
    return { resource: groupResource(await this.existingGroup(entry.name)), endedSessions: [] };
  }

  /** Makes the group's members exactly `wanted`; each person who joins or leaves gets a new version (I3). */
  private async setMembers(
    group: string,
    current: readonly UserId[],
    wanted: readonly UserId[],
  ): Promise<{ added: UserId[]; removed: UserId[] }> {
    const added = wanted.filter((id) => !current.includes(id));
    const removed = current.filter((id) => !wanted.includes(id));
    for (const id of added) {
      await this.options.users.update(id, (user) =>
        user.groups.includes(group) ? undefined : { groups: [...user.groups, group] },
      );
    }
    for (const id of removed) {
      await this.options.users.update(id, (user) =>
        user.groups.includes(group) ? { groups: user.groups.filter((name) => name !== group) } : undefined,
      );
    }
    return { added, removed };
  }

  /** Every member id must name a person SCIM can see (not deleted). */
  private async checkMembers(ids: readonly UserId[]): Promise<void> {
    if (ids.length === 0) return;
    const found = new Set(
      (await this.options.users.getMany(ids)).filter((user) => user.deletedAt === null).map((user) => user.id),
    );
    const unknown = ids.filter((id) => !found.has(id));
    if (unknown.length > 0) {
      throw new ScimError(
        400,
        `No User ${unknown
          .slice(0, 5)
          .map((id) => JSON.stringify(id))
          .join(', ')}`,
        'invalidValue',
      );
    }
  }

  /** A manager named by a write must be someone SCIM can see, and not the person themself. */
  private async checkedManager(managerId: string | null, person: User | undefined): Promise<UserId | null> {
    if (managerId === null) return null;
    const manager = await this.options.users.get(managerId);
    if (!manager || manager.deletedAt !== null || managerId === person?.id) {
      throw new ScimError(
        400,
        `The manager ${JSON.stringify(managerId.slice(0, 100))} is no User here`,
        'invalidValue',
      );
    }
    return manager.id;
  }

  /** The person never provisioned whom a new User names: by id (`userName`), or by email. */
  private async adoptable(input: ScimUserInput): Promise<User | undefined> {
    const userName = input.userName.toLowerCase();
    const emails = new Set([userName, ...(input.emails ?? []).map((email) => email.value.toLowerCase())]);
    const candidates = (await this.options.users.list()).filter(
      (user) =>
        user.deletedAt === null &&
        user.userName === null &&
        (user.id === userName || (user.email !== null && emails.has(user.email.toLowerCase()))),
    );
    if (candidates.length <= 1) return candidates[0];
    const exact = candidates.filter((user) => user.id === userName || user.email?.toLowerCase() === userName);
    if (exact.length === 1) return exact[0];
    throw uniqueness(
      `userName ${JSON.stringify(input.userName)} matches several people: ${candidates.map((user) => user.id).join(', ')}`,
    );
  }

  private async existingUser(id: string): Promise<User> {
    const user = await this.options.users.get(id);
    if (!user || user.deletedAt !== null) throw scimNotFound('User', id);
    return user;
  }

  private async existingGroup(id: string): Promise<GroupEntry> {
    const entry = (await this.groups()).get(id);
    if (!entry) throw scimNotFound('Group', id);
    return entry;
  }

  /** Every group: records, and the groups people hold (deleted people hold none). */
  private async groups(): Promise<Map<string, GroupEntry>> {
    const [records, people] = await Promise.all([this.options.users.listGroups(), this.options.users.list()]);
    const groups = new Map<string, GroupEntry>();
    for (const record of records) {
      groups.set(record.name, {
        name: record.name,
        displayName: record.displayName,
        externalId: record.externalId,
        record,
        members: [],
      });
    }
    for (const person of people) {
      if (person.deletedAt !== null) continue;
      for (const name of new Set(person.groups)) {
        let entry = groups.get(name);
        if (!entry) {
          entry = { name, displayName: name, externalId: null, record: undefined, members: [] };
          groups.set(name, entry);
        }
        entry.members.push(person);
      }
    }
    return new Map([...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  /** One audit record per change (I6): no human requester, the identity provider acted. */
  private async record(action: string, resource: string, body: unknown, notes: string[]): Promise<void> {
    await this.options.audit.append({
      requester: null,
      agent: null,
      mode: 'direct',
      threadId: null,
      runId: null,
      action,
      resource,
      decision: 'allow',
      policies: [],
      reason: `SCIM: ${notes.join('; ')}`.slice(0, 1000),
      ...(body === undefined ? {} : { argsHash: sha256Hex(canonicalJson(body)) }),
    });
  }

  /** Runs writes one at a time in this process, in arrival order; a failed one does not stop the next. */
  private exclusive<T>(write: () => Promise<T>): Promise<T> {
    const result = this.writes.then(write, write);
    this.writes = result.catch(() => undefined);
    return result;
  }
}

function groupResource(entry: GroupEntry): ScimJson {
  return toScimGroup(entry, entry.members);
}

function memberIds(input: ScimGroupInput): UserId[] {
  return [...new Set((input.members ?? []).map((member) => member.value))];
}

/** Validates with zod; a refusal is a SCIM 400 naming the first problems. */
function parse<Output>(schema: ZodType<Output>, value: unknown, scimType: 'invalidValue' | 'invalidSyntax'): Output {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const detail = result.error.issues
    .slice(0, 5)
    .map((issue) => {
      const path = issue.path.map(String).join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
  throw new ScimError(400, `Invalid request: ${detail}`.slice(0, 500), scimType);
}

function uniqueness(detail: string): ScimError {
  return new ScimError(409, detail, 'uniqueness');
}

/**
 * The display name after a PATCH: a changed `displayName` wins, then a changed `name.formatted`,
 * then changed given and family names when the display name was made of them; otherwise it stays.
 */
function patchedName(before: ScimJson, after: ScimJson, input: ScimUserInput, current: string): string {
  const nameOf = (resource: ScimJson) => (isJsonObject(resource.name) ? resource.name : {});
  if (after.displayName !== before.displayName && input.displayName) return input.displayName;
  const [was, is] = [nameOf(before), nameOf(after)];
  if (is.formatted !== was.formatted && input.name?.formatted) return input.name.formatted;
  const joined = (name: ScimJson) => [name.givenName, name.familyName].filter((part) => !!part).join(' ');
  // New given or family names rename the person only when their name was made of them.
  if (joined(is) !== joined(was) && joined(was) === current && joined(is) !== '') return joined(is);
  return current;
}

/** A list response (RFC 7644 §3.4.2): `startIndex` is 1-based; at most `SCIM_MAX_RESULTS` per page. */
function listResponse(resources: ScimJson[], query: ScimListQuery): ScimJson {
  const startIndex = Math.max(1, query.startIndex ?? 1);
  const count = Math.min(SCIM_MAX_RESULTS, Math.max(0, query.count ?? SCIM_MAX_RESULTS));
  const page = resources.slice(startIndex - 1, startIndex - 1 + count).map((resource) => project(resource, query));
  return {
    schemas: [SCIM_LIST_RESPONSE_SCHEMA],
    totalResults: resources.length,
    startIndex,
    itemsPerPage: page.length,
    Resources: page,
  };
}

/** `attributes` / `excludedAttributes` (top-level attributes; `id`, `schemas` and `meta` always stay). */
function project(resource: ScimJson, query: ScimResourceQuery): ScimJson {
  const names = (list: string) =>
    new Set(
      list
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean)
        .map((item) => {
          const path = parseAttrPath(item);
          return path ? (path.uri && !(path.uri in resource) ? path.attr : (path.uri ?? path.attr)) : item;
        }),
    );
  const always = new Set(['id', 'schemas', 'meta']);
  if (query.attributes) {
    const wanted = names(query.attributes);
    return Object.fromEntries(Object.entries(resource).filter(([key]) => always.has(key) || wanted.has(key)));
  }
  if (query.excludedAttributes) {
    const excluded = names(query.excludedAttributes);
    return Object.fromEntries(Object.entries(resource).filter(([key]) => always.has(key) || !excluded.has(key)));
  }
  return resource;
}

function describeUserChange(before: User, after: User): string {
  const changes: string[] = [];
  if (before.active !== after.active) changes.push(after.active ? 'activated' : 'deactivated');
  if (before.userName !== after.userName) changes.push(`userName ${JSON.stringify(after.userName)}`);
  if (before.name !== after.name) changes.push('name');
  if (before.email !== after.email) changes.push('email');
  if (before.title !== after.title) changes.push('title');
  if (before.managerId !== after.managerId) changes.push(`manager ${after.managerId ?? 'none'}`);
  if (before.externalId !== after.externalId) changes.push('externalId');
  if (JSON.stringify(before.attributes) !== JSON.stringify(after.attributes)) changes.push('attributes');
  return changes.length > 0 ? `updated ${after.id}: ${changes.join(', ')}` : `updated ${after.id}`;
}

function sessionsNote(ended: readonly string[]): string[] {
  return ended.length > 0 ? [`${ended.length} session${ended.length === 1 ? '' : 's'} ended`] : [];
}

function membersNote(change: { added: UserId[]; removed: UserId[] }): string[] {
  const list = (ids: UserId[]) =>
    ids.length > MAX_REASON_NAMES
      ? `${ids.slice(0, MAX_REASON_NAMES).join(', ')} and ${ids.length - MAX_REASON_NAMES} more`
      : ids.join(', ');
  return [
    ...(change.added.length > 0 ? [`members added: ${list(change.added)}`] : []),
    ...(change.removed.length > 0 ? [`members removed: ${list(change.removed)}`] : []),
  ];
}
