import { resolve } from 'node:path';
import type { LanguageModel } from 'ai';
import { createLanguageModel, describeModel } from '../agent/model/providers.ts';
import { AuditCheckpointer } from '../audit/audit-checkpointer.ts';
import { AuditCheckpoints } from '../audit/audit-checkpoints.ts';
import { loadSecretKey } from '../delegation/connector-credentials-key.ts';
import { syncDocumentFolders } from '../documents/sync-document-folders.ts';
import { watchDocumentFolders } from '../documents/watch-document-folders.ts';
import { LocalEventBus } from '../events/local-event-bus.ts';
import { createRunTracing, type RunTracing, tracedModel } from '../observability/index.ts';
import { workspacePolicyTestProblems } from '../policy/policy-tests.ts';
import { loadWorkspacePolicySet, workspacePolicyOptions } from '../policy/workspace-policies.ts';
import { AppError } from '../protocol/errors.ts';
import { fairUseSettingsFromEnv } from '../sources/index.ts';
import type { SqlDataSource } from '../sources/types.ts';
import { openWorkspaceSource, WorkspaceSourceError } from '../sources/workspace/index.ts';
import { openStore } from '../storage/index.ts';
import { createPgEventBus } from '../storage/postgres/pg-event-bus.ts';
import type { Store } from '../storage/types.ts';
import { mcpServersFromEnv, resolveMcpServers } from '../tools/mcp/mcp-server-config.ts';
import { loadWorkspace, type Workspace } from '../workspace/load-workspace.ts';
import { type SeedReport, seedWorkspace } from '../workspace/seed-workspace.ts';
import { sourceToolName } from '../workspace/workspace-references.ts';
import { auditCheckpointSettingsFromEnv } from './audit-checkpoint-settings.ts';
import { buildEngine, type Engine, type EngineOptions } from './build-engine.ts';
import { lazyContextFromEnv } from './context-settings.ts';
import { DEFAULT_AGENT_ID } from './create-app.ts';
import { defaultWorkspaceDir } from './default-workspace.ts';
import { runQueueSettingsFromEnv } from './run-queue-settings.ts';
import { telemetrySettingsFromEnv } from './telemetry-settings.ts';
import { diagnoseWorkspace } from './workspace-doctor.ts';

/** Where a deployment lives and how it runs; defaults are the embedded demo. */
export interface DeploymentOptions {
  /** Data directory of the embedded default (`./data`). */
  dataDir: string;
  /** Environment (BEHALF_MODEL, provider keys...); `process.env` in the CLI. */
  env?: Record<string, string | undefined>;
  /** The only process using the data directory (a server): faster embedded storage. */
  exclusive?: boolean;
  /**
   * The workspace directory (`behalf.yaml`) served: its people, policies, documents and tools.
   * Default: `BEHALF_WORKSPACE`, else the example package.json names.
   */
  workspace?: string;
  /** Bring the store up to the workspace's people, documents, agents and threads (default true). */
  seed?: boolean;
  /**
   * This process serves: run the durable run queue (claiming, lease renewal, reaping) and end
   * runs a previous process left in flight. Commands that only read (audit, policy) leave runs alone.
   */
  serve?: boolean;
  issuer?: string;
  model?: LanguageModel;
  events?: EngineOptions['events'];
  onProgress?: (line: string) => void;
}

/** A workspace SQL source as the engine's tools take it. */
type WorkspaceSqlSource = NonNullable<EngineOptions['sqlSources']>[number] & { sourceName: string };

/** An opened deployment: the engine plus what it was built from, closed together. */
export interface Deployment {
  app: Engine;
  store: Store;
  /** Every SQL source of the workspace with its name, tool and declared actions, as the engine got them. */
  sqlSources: readonly WorkspaceSqlSource[];
  modelName: string;
  /** The workspace served. */
  workspace: Workspace;
  seeded: (SeedReport & { documents: number }) | null;
  /** The signed checkpoints of the audit chain's head, outside the database (I6). */
  checkpoints: AuditCheckpoints;
  /**
   * Registers what to do when events from other processes may have been missed (the
   * LISTEN/NOTIFY connection was lost and restored): a server asks its clients to refetch.
   */
  onEventsResync(handler: () => void): void;
  /** Runs that a previous process left in flight and that were ended `failed` (serving only). */
  recoveredRuns: number;
  close(): Promise<void>;
}

/**
 * Opens a deployment the way `behalf serve` and the other commands do: the store in the data
 * directory, the workspace's data sources, the model chosen by `BEHALF_MODEL`, the workspace's
 * policies (refusing to start when they are invalid), the workspace seeded when missing, and runs
 * interrupted by a previous crash ended visibly.
 */
export async function openDeployment(options: DeploymentOptions): Promise<Deployment> {
  const progress = options.onProgress ?? (() => {});
  const dataDir = resolve(options.dataDir);
  const env = options.env ?? {};
  // Configuration is checked before anything is opened: a bad value refuses to start.
  const model = options.model ?? createLanguageModel(env);
  const workspace = await loadWorkspace(
    options.workspace ?? (env.BEHALF_WORKSPACE?.trim() || defaultWorkspaceDir()),
  ).catch((error: unknown) => {
    throw error instanceof Error && error.name === 'WorkspaceError'
      ? new AppError('validation_failed', error.message)
      : error;
  });
  // Policies that do not validate refuse to start (exit 3), each problem with its file and line.
  const policyOptions = workspacePolicyOptions(workspace);
  const policySet = await loadWorkspacePolicySet(policyOptions);
  if (options.serve) {
    // A server runs the workspace's policy tests first: policies that decide otherwise than their
    // tests say must not serve anyone (exit 3, each failing case named).
    progress('Running the workspace policy tests…');
    const failures = await workspacePolicyTestProblems(policyOptions.policiesDir, policySet, workspace.config);
    if (failures.length > 0) {
      throw new AppError('policy_invalid', `Policy tests fail: ${failures.join('; ')}`, { problems: failures });
    }
  }
  const mcpServers = [...resolveMcpServers(workspace.config.tools), ...mcpServersFromEnv(env.BEHALF_MCP_SERVERS)];
  const runQueue = runQueueSettingsFromEnv(env);
  const lazyContext = lazyContextFromEnv(env);
  const checkpointSettings = auditCheckpointSettingsFromEnv(env, dataDir);
  const telemetry = telemetrySettingsFromEnv(env);
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  const store = await openStore({
    dataDir,
    exclusive: options.exclusive ?? false,
    ...(databaseUrl ? { databaseUrl } : {}),
  });
  let events = options.events;
  const resyncHandlers = new Set<() => void>();
  const ownedSources: SqlDataSource[] = [];
  let tracing: RunTracing | undefined;
  let stopWatching: (() => Promise<void>) | undefined;
  const syncDocuments = async () => {
    const report = await syncDocumentFolders(store.documents, workspace.config.documents, {
      workspaceDir: workspace.dir,
    });
    for (const problem of report.problems) progress(`document ${problem.file}:${problem.line}: ${problem.message}`);
    return report.added.length + report.updated.length + report.removed.length;
  };
  try {
    // Several processes share one PostgreSQL database: events cross processes over LISTEN/NOTIFY.
    if (!events && databaseUrl) {
      events = await createPgEventBus({
        connectionString: databaseUrl,
        source: store,
        onResync: () => {
          for (const handler of resyncHandlers) handler();
        },
      });
    }
    const sqlSources: WorkspaceSqlSource[] = [];
    for (const [index, spec] of workspace.config.sources.entries()) {
      progress(`Opening the ${spec.name} data source (an embedded one takes a few seconds the first time)…`);
      const opened = await openWorkspaceSource(spec, {
        dataDir,
        env,
        workspaceDir: workspace.dir,
        fairUse: fairUseSettingsFromEnv(env),
      }).catch((error: unknown) => {
        if (error instanceof WorkspaceSourceError) {
          throw new AppError(
            'unavailable',
            `the ${spec.name} data source cannot be used:\n  ${error.findings.map((finding) => `${finding.message} (fix: ${finding.fix})`).join('\n  ')}`,
          );
        }
        throw error;
      });
      for (const finding of opened.findings) progress(`${spec.name}: ${finding.message} (fix: ${finding.fix})`);
      const toolName = sourceToolName(workspace.config, index);
      sqlSources.push({ source: opened.source, toolName, sourceName: spec.name, actions: opened.actions });
    }
    ownedSources.push(...sqlSources.map((entry) => entry.source));
    const needsSecret = mcpServers.some((server) => server.credential === 'per-user-oauth');
    // Runs end where they are served: only a serving process exports them, and only when configured.
    tracing =
      options.serve && telemetry
        ? createRunTracing({
            target: telemetry,
            runs: store.runs,
            agent: { id: DEFAULT_AGENT_ID, ...tracedModel(model as Parameters<typeof tracedModel>[0]) },
            onProblem: progress,
          })
        : undefined;
    if (tracing) events = tracing.observe(events ?? new LocalEventBus());
    const app = await buildEngine({
      store,
      sqlSources,
      policySet,
      model,
      mcpServers,
      limits: { ...runQueue, lazyContext },
      ...(needsSecret ? { secretKey: await loadSecretKey({ configured: env.BEHALF_SECRET_KEY, dataDir }) } : {}),
      ...((options.issuer ?? env.BEHALF_PUBLIC_URL) ? { issuer: options.issuer ?? env.BEHALF_PUBLIC_URL } : {}),
      ...(events ? { events } : {}),
      workspace: workspace.config,
      workspaceAdmin: {
        doctor: async () =>
          // The served embedded sources belong to this process: doctor checks the rest.
          (await diagnoseWorkspace(workspace.dir, { dataDir, env, skipSources: true })).findings,
      },
    });
    const seeded =
      options.seed === false
        ? null
        : {
            ...(await seedWorkspace(workspace.config, store, app.audit, app.clock)),
            documents: await syncDocuments(),
          };
    // The checkpoint key comes from the deployment secret, never from the audited database.
    const checkpoints = new AuditCheckpoints({
      path: checkpointSettings.path,
      secret: () => loadSecretKey({ configured: env.BEHALF_SECRET_KEY, dataDir }),
      clock: app.clock,
    });
    let recoveredRuns = 0;
    let keyReload: NodeJS.Timeout | undefined;
    let checkpointer: AuditCheckpointer | undefined;
    if (options.serve) {
      // An embedded store belongs to this process alone: what a previous process left active
      // ends now. A shared store's runs are left to their leases (another process may run them).
      if (store.kind === 'sqlite') recoveredRuns = await app.agent.recoverInterrupted();
      app.agent.start();
      // Keys rotated by another process (or `behalf keys rotate`) are picked up within a minute.
      keyReload = setInterval(() => {
        app.grants.reload().catch((error: unknown) => progress(`could not reload signing keys: ${String(error)}`));
      }, 60_000);
      keyReload.unref();
      // Only a serving process checkpoints: a command that merely reads (`audit verify`) must
      // never sign the head of a chain it may just have found tampered with.
      checkpointer = new AuditCheckpointer({
        store: store.audit,
        checkpoints,
        intervalMs: checkpointSettings.intervalMs,
        onProblem: progress,
      });
      checkpointer.start();
      // Documents edited while serving are indexed again (SPEC §12).
      stopWatching = watchDocumentFolders(store.documents, workspace.config.documents, {
        workspaceDir: workspace.dir,
        onError: (error) => progress(`document folder watch: ${String(error)}`),
      });
    }
    const sources = ownedSources;
    return {
      app,
      store,
      sqlSources,
      modelName: describeModel(model as Parameters<typeof describeModel>[0]),
      workspace,
      seeded,
      checkpoints,
      recoveredRuns,
      onEventsResync: (handler) => {
        resyncHandlers.add(handler);
      },
      async close() {
        clearInterval(keyReload);
        await stopWatching?.();
        app.agent.stop();
        await app.drain();
        await checkpointer?.stop();
        await tracing?.shutdown();
        await app.events.close();
        await store.close();
        await Promise.all(sources.map((entry) => entry.close()));
      },
    };
  } catch (error) {
    await tracing?.shutdown();
    await events?.close();
    await Promise.all(ownedSources.map((entry) => entry.close().catch(() => {})));
    await store.close();
    throw error;
  }
}
