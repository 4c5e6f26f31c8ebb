import type { AuditLog } from '../audit/audit-log.ts';
import type { PolicyEngine } from '../policy/types.ts';
import { AppError } from '../protocol/errors.ts';
import type { Clock } from '../shared/clock.ts';
import type { AgentIdentity, AgentIdentityStore, UserId } from './types.ts';

/** What an administrator gives to provision an agent identity. */
export interface AgentIdentityInput {
  id: string;
  name: string;
  groups: string[];
  assigners: string[];
}

/** An identity as a person sees it in a list: may they assign it to a thread they own? */
export type ListedAgentIdentity = AgentIdentity & { assignable: boolean };

/**
 * Agent identities as first-class principals (SPEC §9, issue 7 point 2): provisioned only by
 * those policy allows (`provisionAgent`, administrators by default), each provisioning audited
 * with the person accountable, refusals included.
 */
export class AgentIdentityService {
  constructor(
    private readonly deps: { agents: AgentIdentityStore; policy: PolicyEngine; audit: AuditLog; clock: Clock },
  ) {}

  /** Every identity, each with whether `actor` may assign it (`assignAgent`). */
  async list(actor: UserId): Promise<ListedAgentIdentity[]> {
    const identities = await this.deps.agents.list();
    const decisions = await this.deps.policy.authorizeMany(
      identities.map((identity) => ({
        principal: { type: 'User', id: actor },
        action: 'assignAgent',
        resource: { type: 'Agent', id: identity.id },
        context: { viaAgent: false },
      })),
    );
    return identities.map((identity, index) => ({ ...identity, assignable: decisions[index]?.effect === 'allow' }));
  }

  async provision(actor: UserId, input: AgentIdentityInput): Promise<AgentIdentity> {
    const decision = await this.deps.policy.authorize({
      principal: { type: 'User', id: actor },
      action: 'provisionAgent',
      resource: { type: 'AgentDirectory', id: 'global' },
      context: { viaAgent: false },
    });
    const groups = [...new Set(input.groups)].sort();
    const assigners = [...new Set(input.assigners)].sort();
    const allowed = decision.effect === 'allow';
    const record = {
      requester: actor,
      agent: null,
      mode: 'direct' as const,
      threadId: null,
      runId: null,
      action: 'agent.provision',
      resource: `agent:${input.id}`,
      policies: decision.policies,
    };
    if (!allowed) {
      await this.deps.audit.append({ ...record, decision: 'deny', reason: decision.reason ?? 'not allowed' });
      throw new AppError('forbidden', decision.reason ?? 'You may not provision agent identities', {
        policies: decision.policies,
      });
    }
    const identity = {
      id: input.id,
      name: input.name.trim(),
      groups,
      assigners,
      provisionedBy: actor,
      createdAt: this.deps.clock.now(),
    };
    if (!(await this.deps.agents.create(identity))) {
      throw new AppError('conflict', `An agent identity ${input.id} already exists`);
    }
    await this.deps.audit.append({
      ...record,
      decision: 'allow',
      reason: `groups ${groups.join(', ') || '(none)'}; assignable by ${assigners.join(', ') || '(nobody)'}`,
    });
    return { ...identity, version: 1 };
  }
}
