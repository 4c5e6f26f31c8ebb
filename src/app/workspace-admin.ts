import type { AuditLog } from '../audit/audit-log.ts';
import type { AgentIdentity, AgentIdentityStore, User, UserId, UserStore } from '../identity/types.ts';
import { parsePolicyResource, resourceText } from '../policy/resource-text.ts';
import type { AuthorizationRequest, Decision, PolicyAction, PolicyEngine } from '../policy/types.ts';
import { AppError } from '../protocol/errors.ts';
import type { DoctorFinding } from '../workspace/doctor-finding.ts';
import type { LabelSpec, SourceSpec, WorkspaceConfig } from '../workspace/workspace-config.ts';

/** What the administrator's page is built from. */
export interface WorkspaceAdminDeps {
  /** The workspace served (a getter when it can be reloaded while serving). */
  config: WorkspaceConfig | (() => WorkspaceConfig);
  policy: PolicyEngine;
  /** The people of the deployment (active ones): who could be cleared, who asks. */
  people: Pick<UserStore, 'get' | 'list'>;
  /** Provisioned agent identities. */
  agents: Pick<AgentIdentityStore, 'list'>;
  audit: Pick<AuditLog, 'append'>;
  /** The Cedar texts in force, by policy id or file name; default: the engine's policies by id. */
  policyTexts?: () => Promise<Readonly<Record<string, string>>>;
  /** `behalf doctor`'s findings for this workspace; default: none. */
  doctor?: () => Promise<DoctorFinding[]>;
  /**
   * Whether a person administers the workspace. Default: the policy decision `administer` on
   * `Workspace::"global"` when the policies in force speak of that action (the catalogue compiles
   * `admins:` into such a permit), else membership of one of `config.admins` (a policy set
   * written before that action existed).
   */
  isAdmin?: (user: User, config: WorkspaceConfig) => Promise<boolean>;
}

/** One table of a source as the page lists it. */
export interface AdminTable {
  name: string;
  description: string | null;
  /** Labels of every row (`ward:{ward}` takes the row's value). */
  labels: string[];
  /** Extra labels of results that read these columns. */
  columns: Record<string, string[]>;
}

export interface AdminSource {
  name: string;
  description: string | null;
  /** The tool the agent calls to query it. */
  tool: string;
  /** How the requester reaches the source's RLS (never the URL: it may hold a password). */
  identity: { convention: SourceSpec['identity']['convention']; role: string };
  tables: AdminTable[];
}

/** Who holds one concrete label: cleared to read it (`readLabel`), may declassify it (`declassifyLabel`). */
export interface AdminClearance {
  label: string;
  cleared: UserId[];
  stewards: UserId[];
}

export interface AdminLabel {
  id: string;
  description: string | null;
  /** The catalogue's shorthands as written. */
  readers: string[];
  stewards: string[];
  /** `{param}` names of a parameterized label (`ward:{ward}` → `ward`); empty otherwise. */
  parameters: string[];
  /**
   * Decided per person: the label itself, or for a parameterized one each value its audience's
   * groups name (`ward-{ward}` and groups `ward-3`, `ward-4` → `ward:3`, `ward:4`).
   */
  clearance: AdminClearance[];
}

export interface AdminAgent {
  id: string;
  name: string;
  groups: string[];
  assigners: string[];
  provisionedBy: UserId;
  createdAt: number;
}

export interface AdminPolicy {
  /** Policy id or file name. */
  name: string;
  text: string;
}

/** Everything the administrator's page shows. */
export interface AdminOverview {
  workspace: { name: string; description: string | null; admins: string[] };
  sources: AdminSource[];
  labels: AdminLabel[];
  agents: AdminAgent[];
  policies: AdminPolicy[];
  findings: DoctorFinding[];
}

/** "Would this person be allowed…": a person, an action, and a resource as text (`label:patient-record`). */
export interface AdminDecisionRequest {
  principal: UserId;
  action: PolicyAction;
  resource: string;
  viaAgent?: boolean;
}

export interface AdminDecision {
  principal: UserId;
  action: PolicyAction;
  /** The resource decided on, in Cedar's spelling: `Label::"patient-record"`. */
  resource: string;
  viaAgent: boolean;
  effect: Decision['effect'];
  /** Ids of the policies that determined it (none for a default deny). */
  policies: string[];
  /** Each deciding policy's `@reason`, in order; for a default deny, why nothing allowed it. */
  reasons: string[];
}

/** The administrator's page over one workspace (SPEC §12, issue 9 point 7). */
export interface WorkspaceAdmin {
  /** The workspace's name (anyone signed in may know it). */
  name(): string;
  /** Whether `actor` administers this workspace. */
  isAdmin(actor: UserId): Promise<boolean>;
  /** Sources, label catalogue with who is cleared, agents, policies and doctor's findings; admins only. */
  overview(actor: UserId): Promise<AdminOverview>;
  /** One decision through the real policy engine, audited (`admin.decide`); admins only. */
  decide(actor: UserId, request: AdminDecisionRequest): Promise<AdminDecision>;
}

/** Builds the administrator's use case. */
export function createWorkspaceAdmin(deps: WorkspaceAdminDeps): WorkspaceAdmin {
  const configOf = (): WorkspaceConfig => (typeof deps.config === 'function' ? deps.config() : deps.config);
  const isAdmin =
    deps.isAdmin ??
    (async (user: User, config: WorkspaceConfig) =>
      (await administersByPolicy(deps.policy, user.id)) ?? isInAdminGroup(user, config));
  const policyTexts = deps.policyTexts ?? (async () => deps.policy.policies());
  const doctor = deps.doctor ?? (async () => []);

  const adminCheck = async (actor: UserId): Promise<boolean> => {
    const user = await deps.people.get(actor);
    return user !== undefined && (await isAdmin(user, configOf()));
  };
  const requireAdmin = async (actor: UserId): Promise<WorkspaceConfig> => {
    const config = configOf();
    if (!(await adminCheck(actor))) throw notAdmin(config);
    return config;
  };

  return {
    name: () => configOf().name,
    isAdmin: adminCheck,

    async overview(actor) {
      const config = await requireAdmin(actor);
      const users = [...(await deps.people.list())].sort((a, b) => a.id.localeCompare(b.id));
      const [labels, agents, texts, findings] = await Promise.all([
        labelClearance(deps.policy, config, users),
        deps.agents.list(),
        policyTexts(),
        doctor(),
      ]);
      return {
        workspace: { name: config.name, description: config.description ?? null, admins: [...config.admins] },
        sources: config.sources.map(toAdminSource),
        labels,
        agents: agents.map(toAdminAgent).sort((a, b) => a.id.localeCompare(b.id)),
        policies: Object.entries(texts)
          .map(([name, text]) => ({ name, text }))
          .sort((a, b) => a.name.localeCompare(b.name)),
        findings: [...findings].sort(
          (a, b) => severityRank(a.severity) - severityRank(b.severity) || a.area.localeCompare(b.area),
        ),
      };
    },

    async decide(actor, request) {
      const config = configOf();
      const asked = `${request.principal} ${request.action} ${request.resource.trim()}`;
      const record = {
        requester: actor,
        agent: null,
        mode: 'direct' as const,
        threadId: null,
        runId: null,
        action: 'admin.decide',
      };
      if (!(await adminCheck(actor))) {
        await deps.audit.append({
          ...record,
          resource: request.resource.trim().slice(0, 300),
          decision: 'deny',
          policies: [],
          reason: `refused: not a workspace administrator (asked: ${asked.slice(0, 300)})`,
        });
        throw notAdmin(config);
      }
      const resource = parsePolicyResource(request.resource, request.action);
      if (!(await deps.people.get(request.principal))) {
        throw new AppError('validation_failed', `principal: there is no person "${request.principal}"`);
      }
      const viaAgent = request.viaAgent ?? false;
      const authorization: AuthorizationRequest = {
        principal: { type: 'User', id: request.principal },
        action: request.action,
        resource,
        context: { viaAgent, mode: 'user' },
      };
      const decision = await deps.policy.authorize(authorization);
      const texts = deps.policy.policies();
      const reasons =
        decision.policies.length > 0
          ? decision.policies.map((id) => reasonOf(texts[id]) ?? `decided by policy ${id}`)
          : [decision.reason ?? 'No policy allows it'];
      const spelled = `${resource.type}::"${resource.id}"`;
      // What was asked and what the policies answered: the decision is the hypothetical one.
      await deps.audit.append({
        ...record,
        resource: resourceText(resource),
        decision: decision.effect,
        policies: decision.policies,
        reason: `what-if: would ${request.principal} ${request.action} ${spelled}${viaAgent ? ' via the agent' : ''}? ${decision.effect}${decision.reason ? ` — ${decision.reason}` : ''}`,
      });
      return {
        principal: request.principal,
        action: request.action,
        resource: spelled,
        viaAgent,
        effect: decision.effect,
        policies: decision.policies,
        reasons,
      };
    },
  };
}

/**
 * The policies' answer to "may this person administer the workspace?", or undefined when no
 * policy in force mentions the `administer` action (a schema without it: group membership decides).
 */
export async function administersByPolicy(policy: PolicyEngine, userId: UserId): Promise<boolean | undefined> {
  const speaksOfIt = Object.values(policy.policies()).some((text) => text.includes('Action::"administer"'));
  if (!speaksOfIt) return undefined;
  const decision = await policy.authorize({
    principal: { type: 'User', id: userId },
    action: 'administer',
    resource: { type: 'Workspace', id: 'global' },
    context: { viaAgent: false, mode: 'user' },
  });
  return decision.effect === 'allow';
}

/** Administrator rule without such a policy: a member of one of the workspace's `admins` groups. */
export function isInAdminGroup(user: Pick<User, 'groups'>, config: Pick<WorkspaceConfig, 'admins'>): boolean {
  return user.groups.some((group) => config.admins.includes(group));
}

function notAdmin(config: WorkspaceConfig): AppError {
  const groups = config.admins.length > 0 ? config.admins.join(', ') : '(none configured)';
  return new AppError('forbidden', `Only workspace administrators (groups: ${groups}) may use the administrator page`);
}

function severityRank(severity: DoctorFinding['severity']): number {
  return severity === 'error' ? 0 : 1;
}

// ---------------------------------------------------------------------------------------------
// Sources, agents

function toAdminSource(source: SourceSpec, index: number): AdminSource {
  return {
    name: source.name,
    description: source.description ?? null,
    tool: source.tool ?? (index === 0 ? 'sql' : `sql_${source.name}`),
    identity: { convention: source.identity.convention, role: source.identity.role },
    tables: Object.entries(source.tables)
      .map(([name, table]) => ({
        name,
        description: table.description ?? null,
        labels: [...table.labels],
        columns: Object.fromEntries(
          Object.entries(table.columns ?? {}).map(([column, labels]) => [column, [...labels]]),
        ),
      }))
      .sort((a, b) => a.name.localeCompare(b.name)),
  };
}

function toAdminAgent(identity: AgentIdentity): AdminAgent {
  return {
    id: identity.id,
    name: identity.name,
    groups: [...identity.groups],
    assigners: [...identity.assigners],
    provisionedBy: identity.provisionedBy,
    createdAt: identity.createdAt,
  };
}

// ---------------------------------------------------------------------------------------------
// The label catalogue: who is cleared, who may declassify

const PARAMETER = /\{([a-z_][a-z0-9_]*)\}/g;
/** At most this many concrete values of one parameterized label are decided. */
const MAX_EXAMPLES = 12;

/** The `{param}` names of a label id or audience entry. */
export function labelParameters(id: string): string[] {
  return [...new Set([...id.matchAll(PARAMETER)].map((match) => match[1] as string))];
}

/**
 * Values of a parameterized label's parameters that its audience names among known groups: the
 * entry `ward-{ward}` and the group `ward-3` give `ward = 3`. Only entries with one
 * parameter are read, and only whole values of the label's own id grammar.
 */
export function exampleLabelIds(
  label: Pick<LabelSpec, 'id' | 'readers' | 'stewards'>,
  groups: Iterable<string>,
): string[] {
  const parameters = labelParameters(label.id);
  if (parameters.length !== 1) return [];
  const [parameter] = parameters as [string];
  const values = new Set<string>();
  const known = [...groups];
  for (const entry of [...(label.readers ?? []), ...(label.stewards ?? [])]) {
    const names = labelParameters(entry);
    if (names.length !== 1 || names[0] !== parameter) continue;
    const pattern = new RegExp(
      `^${entry
        .split(`{${parameter}}`)
        .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('([a-z0-9._-]+)')}$`,
    );
    for (const group of known) {
      const match = pattern.exec(group);
      const captured = match?.slice(1);
      if (captured && captured.length > 0 && captured.every((value) => value === captured[0])) {
        values.add(captured[0] as string);
      }
    }
  }
  return [...values]
    .sort()
    .slice(0, MAX_EXAMPLES)
    .map((value) => label.id.split(`{${parameter}}`).join(value));
}

async function labelClearance(
  policy: PolicyEngine,
  config: WorkspaceConfig,
  users: readonly User[],
): Promise<AdminLabel[]> {
  const people = users.map((user) => user.id);
  const groups = new Set([
    ...users.flatMap((user) => user.groups),
    ...config.people.flatMap((person) => person.groups),
  ]);
  const labels = config.labels.map((label) => {
    const parameters = labelParameters(label.id);
    return { label, parameters, concrete: parameters.length === 0 ? [label.id] : exampleLabelIds(label, groups) };
  });
  const requests: AuthorizationRequest[] = [];
  for (const { concrete } of labels) {
    for (const id of concrete) {
      for (const action of ['readLabel', 'declassifyLabel'] as const) {
        for (const person of people) {
          requests.push({
            principal: { type: 'User', id: person },
            action,
            resource: { type: 'Label', id },
            context: { viaAgent: false, mode: 'user' },
          });
        }
      }
    }
  }
  const decisions = await policy.authorizeMany(requests);
  let next = 0;
  const allowed = (): UserId[] =>
    people.filter(() => {
      const decision = decisions[next];
      next += 1;
      return decision?.effect === 'allow';
    });
  return labels.map(({ label, parameters, concrete }) => ({
    id: label.id,
    description: label.description ?? null,
    readers: [...(label.readers ?? [])],
    stewards: [...(label.stewards ?? [])],
    parameters,
    clearance: concrete.map((id) => {
      const cleared = allowed();
      const stewards = allowed();
      return { label: id, cleared, stewards };
    }),
  }));
}

/** The `@reason("…")` of a policy's text. */
function reasonOf(text: string | undefined): string | undefined {
  const match = text && /@reason\s*\(\s*"((?:[^"\\]|\\.)*)"\s*\)/.exec(text);
  return match ? (match[1] as string).replace(/\\(.)/g, '$1') : undefined;
}
