import type { LanguageModel } from 'ai';
import { type ConnectorCredentials, createConnectorCredentials } from '../delegation/connector-credentials.ts';
import { createGrantAuthority } from '../delegation/grant-authority.ts';
import type { EventBus } from '../events/types.ts';
import { activeUsers } from '../identity/active-users.ts';
import { createCedarPolicyEngine } from '../policy/cedar-policy-engine.ts';
import { DEFAULT_POLICY_DIR, loadPolicyDirectory } from '../policy/policy-loader.ts';
import type { WorkspacePolicySet } from '../policy/workspace-policies.ts';
import type { Clock } from '../shared/clock.ts';
import { systemClock } from '../shared/clock.ts';
import type { IdGenerator } from '../shared/ids.ts';
import { randomIds } from '../shared/ids.ts';
import type { Store } from '../storage/types.ts';
import { VisibilityChecker } from '../threads/visibility.ts';
import { builtinTools } from '../tools/builtin/index.ts';
import { connectMcpServers } from '../tools/mcp/connect-mcp-servers.ts';
import type { McpServerConfig, McpServerReport, ResolvedMcpServer } from '../tools/mcp/types.ts';
import { InMemoryToolRegistry } from '../tools/tool-registry.ts';
import type { ToolDefinition } from '../tools/types.ts';
import { type App, type AppDependencies, createApp } from './create-app.ts';
import { storeEntityResolver } from './store-entity-resolver.ts';

/** What `buildEngine` wires together; everything else has defaults. */
export interface EngineOptions {
  store: Store;
  /** A workspace's SQL sources, one `sql`-style tool each and one write tool per action (SPEC §12). */
  sqlSources?: Parameters<typeof builtinTools>[0]['sqlSources'];
  model: LanguageModel;
  /** Policies by id; read from `policyDir` (default: the shipped policies) when omitted. */
  policies?: Record<string, string>;
  policyDir?: string;
  /** A workspace's policies, schema and label catalogue (`loadWorkspacePolicySet`); `policies` still wins. */
  policySet?: WorkspacePolicySet;
  /** `iss` of delegation grants: the deployment's public URL. */
  issuer?: string;
  clock?: Clock;
  ids?: IdGenerator;
  events?: EventBus;
  /** Tools besides the built-in ones (test and benchmark tools). */
  extraTools?: (deps: { policy: App['policy'] }) => ToolDefinition[];
  /** MCP servers whose tools join the registry, behind the same gateway. */
  mcpServers?: readonly McpServerConfig[] | readonly ResolvedMcpServer[];
  /** The deployment secret that seals per-user connector credentials (`loadSecretKey`). */
  secretKey?: Uint8Array;
  limits?: AppDependencies['limits'];
  /** The workspace served and what its administrator's page shows (`createApp`). */
  workspace?: AppDependencies['workspace'];
  workspaceAdmin?: AppDependencies['workspaceAdmin'];
}

/**
 * Builds the whole engine on a store and a data source: policy engine over store entities,
 * grant authority over the store's keys, the built-in tools, and `createApp`. A poisoned or
 * missing policy set throws `policy_invalid` here, so a server refuses to start (never allow-all).
 */
export async function buildEngine(options: EngineOptions): Promise<Engine> {
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? randomIds;
  const registry = new InMemoryToolRegistry();
  const set = options.policySet;
  const policy = await createCedarPolicyEngine({
    policies: options.policies ?? set?.policies ?? (await loadPolicyDirectory(options.policyDir ?? DEFAULT_POLICY_DIR)),
    resolver: storeEntityResolver(options.store, registry),
    ...(set ? { schema: set.schema, labels: set.catalogue } : {}),
  });
  const grants = await createGrantAuthority({
    issuer: options.issuer ?? 'http://localhost:8787',
    keys: options.store.signingKeys,
    jtis: options.store.jtis,
    clock,
    ids,
  });
  const contextVisibility = new VisibilityChecker(policy);
  // Deprovisioned people have no directory record to act with.
  const people = activeUsers(options.store.users);
  for (const tool of builtinTools({
    ...(options.sqlSources ? { sqlSources: options.sqlSources } : {}),
    person: async (id: string) => {
      const user = await people.get(id);
      return user ? { name: user.name, email: user.email, attributes: user.attributes } : undefined;
    },
    documents: options.store.documents,
    messages: options.store.messages,
    runs: options.store.runs,
    visibility: contextVisibility,
    policy,
    grants,
    memory: { store: options.store.memories, clock, ids },
  })) {
    registry.register(tool);
  }
  for (const tool of options.extraTools?.({ policy }) ?? []) registry.register(tool);
  const credentials = options.secretKey
    ? createConnectorCredentials({
        store: options.store.connectorCredentials,
        secret: options.secretKey,
        grants,
        clock,
      })
    : undefined;
  let mcpServers: McpServerReport[] = [];
  if (options.mcpServers && options.mcpServers.length > 0) {
    const connection = await connectMcpServers(options.mcpServers, {
      grants,
      ...(credentials ? { credentials } : {}),
      reservedNames: registry.list().map((tool) => tool.name),
    });
    for (const tool of connection.tools) registry.register(tool);
    mcpServers = connection.servers;
  }
  const app = createApp({
    store: options.store,
    policy,
    registry,
    grants,
    model: options.model,
    clock,
    ids,
    ...(options.events ? { events: options.events } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.workspace ? { workspace: options.workspace, workspaceAdmin: options.workspaceAdmin } : {}),
  });
  return { ...app, mcpServers, connectorCredentials: credentials ?? null };
}

/** The engine plus what its connectors reported at startup. */
export interface Engine extends App {
  /** One report per configured MCP server: connected (with its tools) or failed (and why). */
  readonly mcpServers: McpServerReport[];
  /** Per-user connector credentials, when a secret key is configured. */
  readonly connectorCredentials: ConnectorCredentials | null;
}
