import type { ApprovalStore, RunStore } from '../agent/types.ts';
import type { AuditLogStore } from '../audit/types.ts';
import type { ConnectorCredentialStore } from '../delegation/connector-credential-types.ts';
import type { JtiStore, SigningKeyStore } from '../delegation/types.ts';
import type { DocumentStore } from '../documents/types.ts';
import type { AgentIdentityStore, SessionStore, UserStore } from '../identity/types.ts';
import type { MemoryStore } from '../memory/types.ts';
import type { MessageStore, ThreadStore } from '../threads/types.ts';
import type { ToolCallStore } from '../tools/types.ts';

/**
 * The whole persistence port: one store per domain, all backed by one database. Adapters
 * (SQLite embedded, PostgreSQL at scale) pass the same conformance suite.
 */
export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  users: UserStore;
  sessions: SessionStore;
  threads: ThreadStore;
  messages: MessageStore;
  runs: RunStore;
  approvals: ApprovalStore;
  documents: DocumentStore;
  audit: AuditLogStore;
  signingKeys: SigningKeyStore;
  jtis: JtiStore;
  toolCalls: ToolCallStore;
  /** Per-user connector credentials, sealed, partitioned by (tenant, user, resource) (I9). */
  connectorCredentials: ConnectorCredentialStore;
  /** Provisioned agent identities of self-authorized threads (SPEC §9). */
  agents: AgentIdentityStore;
  /** Facts the agent remembered in threads, with their labels and origin (issue 10). */
  memories: MemoryStore;
  /** Release connections and file handles. */
  close(): Promise<void>;
}
