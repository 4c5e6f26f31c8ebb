import type { AgentIdentity, AgentIdentityStore } from '../../identity/types.ts';
import { agentIdentityFromRow } from '../rows/identity-rows.ts';
import type { PortableContext } from './portable-context.ts';

/** `AgentIdentityStore` for both adapters: a small table read at decision time (memoized there). */
export class PortableAgentIdentityStore implements AgentIdentityStore {
  constructor(private readonly context: PortableContext) {}

  async get(id: string): Promise<AgentIdentity | undefined> {
    const row = await this.context.kysely
      .selectFrom('agent_identities')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && agentIdentityFromRow(row);
  }

  async list(): Promise<AgentIdentity[]> {
    const rows = await this.context.kysely
      .selectFrom('agent_identities')
      .selectAll()
      .orderBy(this.context.byteOrder('id'))
      .execute();
    return rows.map(agentIdentityFromRow);
  }

  async create(identity: Omit<AgentIdentity, 'version'>): Promise<boolean> {
    const inserted = await this.context.kysely
      .insertInto('agent_identities')
      .values({
        id: identity.id,
        name: identity.name,
        groups: JSON.stringify(identity.groups),
        assigners: JSON.stringify(identity.assigners),
        provisioned_by: identity.provisionedBy,
        created_at: identity.createdAt,
        version: 1,
      })
      .onConflict((conflict) => conflict.column('id').doNothing())
      .executeTakeFirst();
    return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
  }
}
