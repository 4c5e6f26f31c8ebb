import { join, resolve } from 'node:path';
import type { LanguageModel } from 'ai';
import { createLanguageModel, describeModel } from '../agent/model/providers.ts';
import { AuditCheckpointer } from '../audit/audit-checkpointer.ts';
import { AuditCheckpoints } from '../audit/audit-checkpoints.ts';
import { loadSecretKey } from '../delegation/connector-credentials-key.ts';
import { type SeedReport, seedAcme } from '../demo/seed.ts';
import { LocalEventBus } from '../events/local-event-bus.ts';
import { createRunTracing, type RunTracing, tracedModel } from '../observability/index.ts';
import { AppError } from '../protocol/errors.ts';
import { fairUseSettingsFromEnv, openSqlDataSource, redactDataSourceUrl, SqlSourceError } from '../sources/index.ts';
import type { SqlDataSource } from '../sources/types.ts';
import { openStore } from '../storage/index.ts';
import { createPgEventBus } from '../storage/postgres/pg-event-bus.ts';
import type { Store } from '../storage/types.ts';
import { mcpServersFromEnv } from '../tools/mcp/mcp-server-config.ts';
import { auditCheckpointSettingsFromEnv } from './audit-checkpoint-settings.ts';
import { buildEngine, type Engine, type EngineOptions } from './build-engine.ts';
import { DEFAULT_AGENT_ID } from './create-app.ts';
import { runQueueSettingsFromEnv } from './run-queue-settings.ts';
import { telemetrySettingsFromEnv } from './telemetry-settings.ts';

/** Where a deployment lives and how it runs; defaults are the embedded demo. */
export interface DeploymentOptions {
  /** Data directory of the embedded default (`./data`). */
  dataDir: string;
  /** Environment (BEHALF_MODEL, provider keys...); `process.env` in the CLI. */
  env?: Record<string, string | undefined>;
  /** The only process using the data directory (a server): faster embedded storage. */
  exclusive?: boolean;
  /** Seed the Acme demo if missing (default true). */
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

/** An opened deployment: the engine plus what it was built from, closed together. */
export interface Deployment {
  app: Engine;
  store: Store;
  source: SqlDataSource;
  modelName: string;
  seeded: SeedReport | null;
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
 * directory, the Acme data source beside it, the model chosen by `BEHALF_MODEL`, the shipped
 * policies (refusing to start when they are invalid), the demo seeded when missing, and runs
 * interrupted by a previous crash ended visibly.
 */
export async function openDeployment(options: DeploymentOptions): Promise<Deployment> {
  const progress = options.onProgress ?? (() => {});
  const dataDir = resolve(options.dataDir);
  const env = options.env ?? {};
  // Configuration is checked before anything is opened: a bad value refuses to start.
  const model = options.model ?? createLanguageModel(env);
  const mcpServers = mcpServersFromEnv(env.BEHALF_MCP_SERVERS);
  const runQueue = runQueueSettingsFromEnv(env);
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
  let source: SqlDataSource | undefined;
  let tracing: RunTracing | undefined;
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
    const acmeUrl = env.BEHALF_ACME_SOURCE_URL ?? `pglite:${join(dataDir, 'acme-pg')}`;
    progress(`Opening the Acme data source ${redactDataSourceUrl(acmeUrl)} (the first start takes a few seconds)…`);
    source = await openSqlDataSource(acmeUrl, {
      schema: 'acme',
      fairUse: fairUseSettingsFromEnv(env),
      ...(env.BEHALF_ACME_SOURCE_ADMIN_URL ? { adminUrl: env.BEHALF_ACME_SOURCE_ADMIN_URL } : {}),
    }).catch((error: unknown) => {
      throw error instanceof SqlSourceError && error.code === '08001'
        ? new AppError('unavailable', `The Acme data source is unreachable: ${error.message}`)
        : error;
    });
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
      source,
      model,
      mcpServers,
      limits: runQueue,
      ...(needsSecret ? { secretKey: await loadSecretKey({ configured: env.BEHALF_SECRET_KEY, dataDir }) } : {}),
      ...((options.issuer ?? env.BEHALF_PUBLIC_URL) ? { issuer: options.issuer ?? env.BEHALF_PUBLIC_URL } : {}),
      ...(events ? { events } : {}),
    });
    const seeded = options.seed === false ? null : await seedAcme(store, app.audit, app.clock);
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
    }
    const opened = source;
    return {
      app,
      store,
      source: opened,
      modelName: describeModel(model as Parameters<typeof describeModel>[0]),
      seeded,
      checkpoints,
      recoveredRuns,
      onEventsResync: (handler) => {
        resyncHandlers.add(handler);
      },
      async close() {
        clearInterval(keyReload);
        app.agent.stop();
        await app.drain();
        await checkpointer?.stop();
        await tracing?.shutdown();
        await app.events.close();
        await store.close();
        await opened.close();
      },
    };
  } catch (error) {
    await tracing?.shutdown();
    await events?.close();
    await source?.close();
    await store.close();
    throw error;
  }
}
