import type { EntityJson, TypeAndId } from '@cedar-policy/cedar-wasm/nodejs';
import { unassignedAgentId } from './agent-principal.ts';
import type { LabelCatalogue } from './label-catalogue.ts';
import type { AgentEntity, EntityResolver, PrincipalRef, ResourceRef } from './types.ts';

/** One side of a request as Cedar sees it, with what the memo key needs. */
export interface LoadedEntity {
  uid: TypeAndId;
  /** Version of the entity data this decision depends on (`-` when derived, e.g. a Label). */
  version: string;
  /** How reasons name it: `bob`, `agent:thr_1`, `hr-confidential`. */
  name: string;
  /** The entity itself plus the entities it needs (groups, labels). */
  entities: EntityJson[];
}

/** Why an entity could not be loaded: a deny, never a throw. */
export interface MissingEntity {
  missing: string;
}

const group = (id: string): TypeAndId => ({ type: 'Group', id });
const user = (id: string): TypeAndId => ({ type: 'User', id });
const ref = (uid: TypeAndId) => ({ __entity: uid });

/** The principal with its groups as parents: a User, or the agent identity of a self-authorized thread. */
export async function loadPrincipal(
  resolver: EntityResolver,
  principal: PrincipalRef,
): Promise<LoadedEntity | MissingEntity> {
  if (principal.type === 'User') {
    const found = await resolver.user(principal.id);
    if (!found) return { missing: `Unknown user ${principal.id}` };
    return withGroups(user(found.id), String(found.version), found.id, found.groups);
  }
  // The agent's rights come from the identity assigned to the thread, so the version is both
  // the thread's and the identity's: reassigning it or changing its groups must miss the memo.
  const thread = await resolver.thread(principal.threadId);
  if (!thread) return { missing: `Unknown thread ${principal.threadId} for the agent principal` };
  // No identity assigned: an agent holding no group at all (it can do what policy grants anyone).
  const agent = thread.agent ?? { id: unassignedAgentId(thread.id), groups: [], assigners: [], version: 0 };
  return agentEntity(agent, `${thread.version}.${agent.version}`);
}

/** A provisioned agent identity: its groups as parents, its assigner groups as an attribute. */
function agentEntity(agent: AgentEntity, version: string): LoadedEntity {
  const uid = { type: 'Agent', id: agent.id };
  const loaded = withGroups(uid, version, `agent:${agent.id}`, agent.groups);
  for (const entity of loaded.entities) entity.attrs = { assigners: [...new Set(agent.assigners)].map(group).map(ref) };
  return loaded;
}

// Groups travel as the principal's parents. Group entities themselves are not passed: they have
// no attributes and no parents (groups do not nest), and every entity passed costs Cedar time.
function withGroups(uid: TypeAndId, version: string, name: string, groups: readonly string[]): LoadedEntity {
  const parents = [...new Set(groups)].map(group);
  return { uid, version, name, entities: [{ uid, attrs: {}, parents }] };
}

/**
 * The resource and the entities its attributes point at that policies dereference (labels, built
 * from their id by the workspace's label catalogue).
 */
export async function loadResource(
  resolver: EntityResolver,
  resource: ResourceRef,
  labels: LabelCatalogue,
): Promise<LoadedEntity | MissingEntity> {
  switch (resource.type) {
    case 'Thread': {
      const thread = await resolver.thread(resource.id);
      if (!thread) return { missing: `Unknown thread ${resource.id}` };
      const attrs = { owner: ref(user(thread.ownerId)), members: thread.members.map((id) => ref(user(id))) };
      return single({ type: 'Thread', id: thread.id }, thread.version, attrs);
    }
    case 'Tool': {
      const tool = await resolver.tool(resource.id);
      if (!tool) return { missing: `Unknown tool ${resource.id}` };
      return single({ type: 'Tool', id: tool.name }, tool.version, { effect: tool.effect });
    }
    case 'Document': {
      const document = await resolver.document(resource.id);
      if (!document) return { missing: `Unknown document ${resource.id}` };
      const acl = parseAcl(document.readers);
      const attrs = {
        label: ref({ type: 'Label', id: document.label }),
        readers: acl.groups.map((id) => ref(group(id))),
        readerUsers: acl.users.map((id) => ref(user(id))),
        public: acl.everyone,
      };
      const loaded = single({ type: 'Document', id: document.id }, document.version, attrs);
      loaded.entities.push(labels.entity(document.label));
      return loaded;
    }
    case 'Label': {
      const label = labels.entity(resource.id);
      return { uid: label.uid as TypeAndId, version: '-', name: resource.id, entities: [label] };
    }
    case 'Message': {
      const message = await resolver.message(resource.id);
      if (!message) return { missing: `Unknown message ${resource.id}` };
      const ids = [...new Set(message.labels)];
      const attrs: EntityJson['attrs'] = { labels: ids.map((id) => ref({ type: 'Label', id })) };
      if (message.requesterId !== null) attrs.requester = ref(user(message.requesterId));
      const loaded = single({ type: 'Message', id: message.id }, message.version, attrs);
      loaded.entities.push(...ids.map((id) => labels.entity(id)));
      return loaded;
    }
    case 'AuditLog': {
      const uid = { type: 'AuditLog', id: resource.id };
      return { uid, version: '-', name: 'the audit log', entities: [{ uid, attrs: {}, parents: [] }] };
    }
    case 'AgentDirectory': {
      const uid = { type: 'AgentDirectory', id: resource.id };
      return { uid, version: '-', name: 'the agent directory', entities: [{ uid, attrs: {}, parents: [] }] };
    }
    case 'Workspace': {
      const uid = { type: 'Workspace', id: resource.id };
      return { uid, version: '-', name: 'the workspace', entities: [{ uid, attrs: {}, parents: [] }] };
    }
    case 'Agent': {
      const agent = await resolver.agent(resource.id);
      if (!agent) return { missing: `Unknown agent identity ${resource.id}` };
      return agentEntity(agent, String(agent.version));
    }
  }
}

function single(uid: TypeAndId, version: number, attrs: EntityJson['attrs']): LoadedEntity {
  return { uid, version: String(version), name: uid.id, entities: [{ uid, attrs, parents: [] }] };
}

/** Document ACL principals: `everyone`, `group:<g>`, `user:<id>`. Anything else admits nobody. */
export function parseAcl(readers: readonly string[]): { everyone: boolean; groups: string[]; users: string[] } {
  const groups = new Set<string>();
  const users = new Set<string>();
  let everyone = false;
  for (const reader of readers) {
    if (reader === 'everyone') everyone = true;
    else if (reader.startsWith('group:') && reader.length > 6) groups.add(reader.slice(6));
    else if (reader.startsWith('user:') && reader.length > 5) users.add(reader.slice(5));
  }
  return { everyone, groups: [...groups], users: [...users] };
}
