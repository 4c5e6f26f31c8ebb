/**
 * Policy test files (`behalf policy test FILE`, and the tests a workspace's `policies/` folder
 * holds, run before it is served): cases with expected decisions, like `cedar test`.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isNode, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { isAppError } from '../protocol/errors.ts';
import { POLICY_ACTIONS } from '../protocol/wire.ts';
import type { WorkspaceConfig } from '../workspace/workspace-config.ts';
import { createCedarPolicyEngine } from './cedar-policy-engine.ts';
import type { LabelCatalogue } from './label-catalogue.ts';
import { parsePolicyResource, RESOURCE_TYPES, SINGLETONS } from './resource-text.ts';
import type {
  AgentEntity,
  Decision,
  DecisionContext,
  EntityResolver,
  PolicyAction,
  PrincipalRef,
  ResourceRef,
} from './types.ts';

const names = z.array(z.string().min(1));
const PrincipalSchema = z.union([
  z.string().min(1),
  z.object({ id: z.string().min(1), groups: names.optional() }).strict(),
  z.object({ agent: z.string().min(1), groups: names.optional() }).strict(),
]);
const ResourceSchema = z.union([
  z.string().min(1),
  z
    .object({
      type: z.string().min(1),
      id: z.string().min(1).optional(),
      effect: z.enum(['read', 'write']).optional(),
      label: z.string().optional(),
      readers: names.optional(),
      owner: z.string().optional(),
      members: names.optional(),
      requester: z.string().nullable().optional(),
      labels: names.optional(),
      groups: names.optional(),
      assigners: names.optional(),
    })
    .strict(),
]);
const CaseSchema = z
  .object({
    name: z.string().min(1),
    principal: PrincipalSchema,
    action: z.enum(POLICY_ACTIONS),
    resource: ResourceSchema,
    context: z
      .object({
        viaAgent: z.boolean().optional(),
        mode: z.enum(['user', 'self']).optional(),
        threadId: z.string().optional(),
      })
      .strict()
      .optional(),
    expect: z.enum(['allow', 'deny']),
    /** When given, the deciding policies must be exactly these (in any order). */
    policies: names.optional(),
  })
  .strict();
const CasesSchema = z.array(CaseSchema);
const FileSchema = z.object({ cases: CasesSchema }).strict();

/** One case of a policy test file. */
export type PolicyTestCase = z.infer<typeof CaseSchema>;

/** One case's outcome. */
export interface PolicyTestResult {
  name: string;
  expected: 'allow' | 'deny';
  effect: Decision['effect'];
  policies: string[];
  reason: string | undefined;
  pass: boolean;
  /** Why it failed, when it did. */
  failure?: string;
}

/** The cases of a test file, or its problems (`file:line key: message`). */
export async function readPolicyTests(
  file: string,
  config: Pick<WorkspaceConfig, 'people' | 'agents'>,
): Promise<{ ok: true; cases: PolicyTestCase[] } | { ok: false; problems: string[] }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return { ok: false, problems: [`${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`] };
  }
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: true });
  if (document.errors.length > 0) {
    return {
      ok: false,
      problems: document.errors.map(
        (error) => `${file}:${lineCounter.linePos(error.pos[0]).line}: ${error.message.split('\n')[0]}`,
      ),
    };
  }
  const at = (path: readonly PropertyKey[]) => {
    for (let length = path.length; length >= 0; length -= 1) {
      const node = length === 0 ? document.contents : document.getIn(path.slice(0, length) as unknown[], true);
      if (isNode(node) && node.range) return `${file}:${lineCounter.linePos(node.range[0]).line}`;
    }
    return file;
  };
  // A list of cases, or `cases:` holding one.
  const content: unknown = document.toJS();
  const result = Array.isArray(content) ? CasesSchema.safeParse(content) : FileSchema.safeParse(content);
  if (!result.success) {
    return {
      ok: false,
      problems: result.error.issues.map((issue) => `${at(issue.path)} ${dotted(issue.path)}: ${issue.message}`),
    };
  }
  const cases = Array.isArray(result.data) ? result.data : result.data.cases;
  const prefix = Array.isArray(content) ? [] : ['cases'];
  const problems: string[] = [];
  const people = new Set(config.people.map((person) => person.id));
  const agents = new Set(config.agents.map((agent) => agent.id));
  cases.forEach((testCase, index) => {
    const where = (...key: (string | number)[]) =>
      `${at([...prefix, index, ...key])} ${dotted([...prefix, index, ...key])}`;
    const { principal } = testCase;
    if (typeof principal === 'string' && !people.has(principal)) {
      problems.push(`${where('principal')}: "${principal}" is none of the workspace's people; write { id, groups }`);
    }
    if (typeof principal === 'object' && 'agent' in principal && !principal.groups && !agents.has(principal.agent)) {
      problems.push(`${where('principal')}: "${principal.agent}" is none of the workspace's agents; give its groups`);
    }
    const resource = resourceOf(testCase.resource, testCase.action);
    if (typeof resource === 'string') problems.push(`${where('resource')}: ${resource}`);
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, cases };
}

/** Decides every case with the workspace's policies; entities come from the case (and behalf.yaml). */
export async function runPolicyTests(
  cases: readonly PolicyTestCase[],
  set: { policies: Record<string, string>; schema: string; catalogue: LabelCatalogue },
  config: Pick<WorkspaceConfig, 'people' | 'agents'>,
): Promise<PolicyTestResult[]> {
  let current: CaseEntities = emptyEntities();
  const resolver: EntityResolver = {
    user: async (id) => current.users.get(id),
    thread: async (id) => current.threads.get(id),
    agent: async (id) => current.agents.get(id),
    document: async (id) => current.documents.get(id),
    tool: async (name) => current.tools.get(name),
    message: async (id) => current.messages.get(id),
  };
  // No memo: cases reuse ids with other groups, and every entity here has version 1.
  const engine = await createCedarPolicyEngine({
    policies: set.policies,
    schema: set.schema,
    labels: set.catalogue,
    resolver,
    cacheSize: 0,
  });
  const results: PolicyTestResult[] = [];
  for (const testCase of cases) {
    const resource = resourceOf(testCase.resource, testCase.action);
    if (typeof resource === 'string') throw new Error(resource);
    const built = entitiesOf(testCase, resource, config);
    current = built.entities;
    const context: DecisionContext = {
      viaAgent: testCase.context?.viaAgent ?? built.principal.type === 'Agent',
      mode: testCase.context?.mode ?? (built.principal.type === 'Agent' ? 'self' : 'user'),
      ...(testCase.context?.threadId ? { threadId: testCase.context.threadId } : {}),
    };
    const decision = await engine.authorize({
      principal: built.principal,
      action: testCase.action,
      resource: resource.ref,
      context,
    });
    const failures: string[] = [];
    if (decision.effect !== testCase.expect) failures.push(`expected ${testCase.expect}, got ${decision.effect}`);
    if (testCase.policies && !sameSet(testCase.policies, decision.policies)) {
      failures.push(
        `expected policies ${testCase.policies.join(', ') || '(none)'}, got ${decision.policies.join(', ') || '(none)'}`,
      );
    }
    results.push({
      name: testCase.name,
      expected: testCase.expect,
      effect: decision.effect,
      policies: decision.policies,
      reason: decision.reason,
      pass: failures.length === 0,
      ...(failures.length > 0
        ? { failure: `${failures.join('; ')} (${decision.policies.join(', ') || 'no policy'})` }
        : {}),
    });
  }
  return results;
}

interface CaseEntities {
  users: Map<string, { id: string; groups: string[]; version: number }>;
  threads: Map<string, NonNullable<Awaited<ReturnType<EntityResolver['thread']>>>>;
  agents: Map<string, AgentEntity>;
  documents: Map<string, NonNullable<Awaited<ReturnType<EntityResolver['document']>>>>;
  tools: Map<string, NonNullable<Awaited<ReturnType<EntityResolver['tool']>>>>;
  messages: Map<string, NonNullable<Awaited<ReturnType<EntityResolver['message']>>>>;
}

function emptyEntities(): CaseEntities {
  return {
    users: new Map(),
    threads: new Map(),
    agents: new Map(),
    documents: new Map(),
    tools: new Map(),
    messages: new Map(),
  };
}

type ParsedResource = { ref: ResourceRef; attrs: Exclude<PolicyTestCase['resource'], string> | undefined };

/** `label:ward:3`, `Tool::"sql"`, `auditlog`, or `{ type, id, …attributes }`; a string says what is wrong. */
function resourceOf(resource: PolicyTestCase['resource'], action: PolicyAction): ParsedResource | string {
  if (typeof resource === 'string') {
    try {
      return { ref: parsePolicyResource(resource, action), attrs: undefined };
    } catch (error) {
      if (isAppError(error)) return error.message.replace(/^resource: /, '');
      throw error;
    }
  }
  const type = RESOURCE_TYPES[resource.type.toLowerCase() as keyof typeof RESOURCE_TYPES];
  if (!type) return `type must be one of: ${Object.keys(RESOURCE_TYPES).join(', ')}`;
  if (SINGLETONS.has(type)) return { ref: { type, id: 'global' } as ResourceRef, attrs: undefined };
  if (!resource.id) return `a ${resource.type} resource needs an id`;
  return { ref: { type, id: resource.id } as ResourceRef, attrs: resource };
}

/** The principal and the entities one case needs, each at version 1. */
function entitiesOf(
  testCase: PolicyTestCase,
  resource: ParsedResource,
  config: Pick<WorkspaceConfig, 'people' | 'agents'>,
): { principal: PrincipalRef; entities: CaseEntities } {
  const entities = emptyEntities();
  const personGroups = (id: string) => config.people.find((person) => person.id === id)?.groups ?? [];
  const spec = testCase.principal;
  let principal: PrincipalRef;
  if (typeof spec === 'object' && 'agent' in spec) {
    const declared = config.agents.find((agent) => agent.id === spec.agent);
    const threadId = `policy-test:${spec.agent}`;
    const agent = {
      id: spec.agent,
      groups: spec.groups ?? declared?.groups ?? [],
      assigners: declared?.assigners ?? [],
      version: 1,
    };
    entities.threads.set(threadId, { id: threadId, ownerId: '', members: [], agent, version: 1 });
    principal = { type: 'Agent', threadId };
  } else {
    const id = typeof spec === 'string' ? spec : spec.id;
    const groups = typeof spec === 'string' ? personGroups(id) : (spec.groups ?? personGroups(id));
    entities.users.set(id, { id, groups: [...groups], version: 1 });
    principal = { type: 'User', id };
  }
  const { ref, attrs } = resource;
  switch (ref.type) {
    case 'Thread':
      entities.threads.set(ref.id, {
        id: ref.id,
        ownerId: attrs?.owner ?? '',
        members: attrs?.members ?? [],
        agent: null,
        version: 1,
      });
      break;
    case 'Tool':
      entities.tools.set(ref.id, { name: ref.id, effect: attrs?.effect ?? 'read', version: 1 });
      break;
    case 'Document':
      entities.documents.set(ref.id, {
        id: ref.id,
        label: attrs?.label ?? 'public',
        readers: attrs?.readers ?? [],
        version: 1,
      });
      break;
    case 'Message':
      entities.messages.set(ref.id, {
        id: ref.id,
        threadId: 'policy-test',
        requesterId: attrs?.requester ?? null,
        labels: attrs?.labels ?? ['public'],
        version: 1,
      });
      break;
    case 'Agent': {
      const declared = config.agents.find((agent) => agent.id === ref.id);
      entities.agents.set(ref.id, {
        id: ref.id,
        groups: attrs?.groups ?? declared?.groups ?? [],
        assigners: attrs?.assigners ?? declared?.assigners ?? [],
        version: 1,
      });
      break;
    }
    default:
      break;
  }
  return { principal, entities };
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');
}

/** `cases[2].resource` */
function dotted(path: readonly PropertyKey[]): string {
  return path
    .map((key, index) => (typeof key === 'number' ? `[${key}]` : index === 0 ? String(key) : `.${String(key)}`))
    .join('');
}

/** A test file of a policies folder: `tests.yaml`, `clearance.tests.yaml`, `audit.test.yml`, … */
const TEST_FILE = /(?:^|\.)tests?\.(?:ya?ml|json)$/;

/** The policy test files of a workspace's policies folder, sorted (none when it has no folder). */
export async function policyTestFiles(policiesDir: string | undefined): Promise<string[]> {
  if (!policiesDir) return [];
  const entries = await readdir(policiesDir, { withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile() && TEST_FILE.test(entry.name))
    .map((entry) => join(policiesDir, entry.name))
    .sort();
}

/**
 * Runs every test file of the policies folder against the validated set, as `behalf serve` does
 * before it starts: returns each problem (a malformed file, a failing case) as one line; empty
 * when every case passes.
 */
export async function workspacePolicyTestProblems(
  policiesDir: string | undefined,
  set: { policies: Record<string, string>; schema: string; catalogue: LabelCatalogue },
  config: Pick<WorkspaceConfig, 'people' | 'agents'>,
): Promise<string[]> {
  const problems: string[] = [];
  for (const file of await policyTestFiles(policiesDir)) {
    const parsed = await readPolicyTests(file, config);
    if (!parsed.ok) {
      problems.push(...parsed.problems);
      continue;
    }
    for (const result of await runPolicyTests(parsed.cases, set, config)) {
      if (!result.pass) problems.push(`${file}: case "${result.name}" failed: ${result.failure}`);
    }
  }
  return problems;
}
