import { resolve } from 'node:path';
import { compilePgliteWasm, PgliteEngine, type PgliteEngineInit } from './pglite-engine.ts';
import { SQLSTATE_CONNECTION_DOES_NOT_EXIST, SQLSTATE_QUERY_CANCELED, SqlSourceError } from './sql-source-error.ts';
import type {
  SqlExecutor,
  SqlQueryOptions,
  SqlRows,
  SqlSetupTarget,
  SqlSource,
  SqlTransactionOptions,
} from './types.ts';

/** What `setup` may use (the port's `SqlSetupTarget`; kept under this name for callers). */
export type PgliteSetupTarget = SqlSetupTarget;

/** Where the database lives and how to prepare it. */
export interface PgliteSourceOptions {
  /** Persistent data directory (reopened in ~0.2 s). Omitted: in memory. */
  dataDir?: string;
  /**
   * Start from this data-directory tarball (see `PgliteSource.snapshot`): in memory, or, with
   * `dataDir`, to fill a directory that holds no database yet.
   */
  snapshot?: Uint8Array;
  /**
   * Runs after every start and restart, before anything else: an idempotent schema or seed. An
   * in-memory source restarts from its snapshot (or empty), so writes made since are lost.
   */
  setup?: (target: PgliteSetupTarget) => Promise<unknown>;
  /** A compiled `pglite.wasm` to share between sources (see `compilePgliteWasm`). */
  wasmModule?: WebAssembly.Module;
}

/** An embedded PostgreSQL (PGlite) source. */
export interface PgliteSource extends SqlSource {
  /** Runs a multi-statement script (simple protocol). Trusted text only, never model output. */
  exec(script: string): Promise<void>;
  /** The data directory as an uncompressed tarball, to start other sources from. */
  snapshot(): Promise<Uint8Array>;
  /** Times the engine was restarted after a deadline or a crash. */
  readonly restarts: number;
}

/**
 * Opens PGlite in a worker thread. Statements are serialized (PGlite is one session); a
 * transaction's `timeoutMs` is a hard deadline: PGlite cannot interrupt a running statement
 * (`statement_timeout` never fires in single-threaded wasm), so at the deadline the worker is
 * terminated and the engine restarted. Call `close()`: the worker keeps the process alive.
 */
export async function createPgliteSource(options: PgliteSourceOptions = {}): Promise<PgliteSource> {
  const init: PgliteEngineInit = {
    ...(options.dataDir ? { dataDir: resolve(options.dataDir) } : {}),
    ...(options.snapshot ? { snapshot: options.snapshot } : {}),
    wasmModule: options.wasmModule ?? (await compilePgliteWasm()),
  };
  const source = new WorkerPgliteSource(init, options.setup);
  await source.ready();
  return source;
}

class WorkerPgliteSource implements PgliteSource {
  #engine: Promise<PgliteEngine>;
  /** The running engine, once started; replaced when it stops. */
  #current: PgliteEngine | undefined;
  #lock: Promise<unknown> = Promise.resolve();
  #closed = false;
  #restarts = 0;

  constructor(
    private readonly init: PgliteEngineInit,
    private readonly setup: PgliteSourceOptions['setup'],
  ) {
    this.#engine = this.#start();
  }

  get restarts(): number {
    return this.#restarts;
  }

  async ready(): Promise<void> {
    await this.#engine;
  }

  query<Row = Record<string, unknown>>(
    text: string,
    params?: readonly unknown[],
    options?: SqlQueryOptions,
  ): Promise<SqlRows<Row>> {
    return this.#exclusive(async () => stripCommand(await (await this.#ready()).query<Row>(text, params, options)));
  }

  exec(script: string): Promise<void> {
    return this.#exclusive(async () => (await this.#ready()).exec(script));
  }

  snapshot(): Promise<Uint8Array> {
    return this.#exclusive(async () => (await this.#ready()).dump());
  }

  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>, options: SqlTransactionOptions = {}): Promise<T> {
    return this.#exclusive(async () => {
      const engine = await this.#ready();
      const timer =
        options.timeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              const reason = `canceling statement: the ${options.timeoutMs} ms time limit was exceeded`;
              this.#replace(engine, new SqlSourceError(SQLSTATE_QUERY_CANCELED, reason));
            }, options.timeoutMs);
      let open = true;
      const tx: SqlExecutor = {
        query: async <Row>(text: string, params?: readonly unknown[], queryOptions?: SqlQueryOptions) => {
          if (!open) throw new SqlSourceError(SQLSTATE_CONNECTION_DOES_NOT_EXIST, 'the transaction has ended');
          return stripCommand(await engine.query<Row>(text, params, queryOptions));
        },
      };
      try {
        await engine.query(options.readOnly ? 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' : 'BEGIN');
        const result = await fn(tx);
        open = false;
        const end = await engine.query(options.readOnly ? 'ROLLBACK' : 'COMMIT');
        // COMMIT of a transaction that failed inside `fn` (error caught there) reports ROLLBACK.
        if (!options.readOnly && end.command !== 'COMMIT') {
          throw new SqlSourceError('25P02', 'the transaction was aborted and rolled back');
        }
        return result;
      } catch (error) {
        open = false;
        if (!engine.stopped) {
          // An engine that cannot even roll back is in an unknown state: replace it.
          await engine.query('ROLLBACK').catch((rollbackError: unknown) => this.#replace(engine, rollbackError));
        }
        throw error;
      } finally {
        clearTimeout(timer);
      }
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#lock;
    const engine = await this.#engine.catch(() => undefined);
    await engine?.close();
  }

  async #start(): Promise<PgliteEngine> {
    const engine = await PgliteEngine.start(this.init, (stopped) => this.#replace(stopped));
    try {
      await this.setup?.({
        query: async <Row>(text: string, params?: readonly unknown[], options?: SqlQueryOptions) =>
          stripCommand(await engine.query<Row>(text, params, options)),
        exec: (script) => engine.exec(script),
      });
    } catch (error) {
      await engine.close().catch(() => undefined);
      throw error;
    }
    this.#current = engine;
    return engine;
  }

  /** The running engine; after a failed (re)start, tries once more rather than failing forever. */
  async #ready(): Promise<PgliteEngine> {
    try {
      return await this.#engine;
    } catch {
      this.#engine = this.#start();
      return this.#engine;
    }
  }

  /** Stops `engine` (if still running) and starts a new one, unless closing or already replaced. */
  #replace(engine: PgliteEngine, reason?: unknown): void {
    const error =
      reason instanceof SqlSourceError
        ? reason
        : new SqlSourceError(SQLSTATE_QUERY_CANCELED, 'the database engine was restarted');
    engine.stop(error);
    if (this.#closed || this.#current !== engine) return;
    this.#current = undefined;
    this.#restarts += 1;
    this.#engine = this.#start();
    // Observed by the next caller; never an unhandled rejection meanwhile.
    this.#engine.catch(() => undefined);
  }

  /** Runs `fn` alone: PGlite is one session, so statements and transactions never interleave. */
  #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#closed) {
      return Promise.reject(new SqlSourceError(SQLSTATE_CONNECTION_DOES_NOT_EXIST, 'the source is closed'));
    }
    const run = this.#lock.then(fn);
    this.#lock = run.catch(() => undefined);
    return run;
  }
}

function stripCommand<Row>(result: SqlRows<Row>): SqlRows<Row> {
  return { rows: result.rows, fields: result.fields };
}
