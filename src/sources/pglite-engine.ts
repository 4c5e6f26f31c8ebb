import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { SQLSTATE_ENGINE_STOPPED, SqlSourceError } from './sql-source-error.ts';
import type { SqlQueryOptions, SqlRows } from './types.ts';

/** What a worker opens: a data directory, a tarball snapshot (in memory), or a fresh database. */
export interface PgliteEngineInit {
  dataDir?: string;
  snapshot?: Uint8Array;
  wasmModule?: WebAssembly.Module;
}

type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: WireError };
type WireError = { code: string; message: string; position?: number };
type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };

/** One statement's result as the worker reports it; `command` is the command tag (`COMMIT`...). */
export type EngineRows<Row> = SqlRows<Row> & { command?: string };

/** PGlite's wasm binary compiled once, so each worker (start, restart, clone) skips the compile. */
export async function compilePgliteWasm(): Promise<WebAssembly.Module> {
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  return WebAssembly.compile(await readFile(join(dirname(entry), 'pglite.wasm')));
}

/**
 * One PGlite instance in a worker thread (see `pglite-worker.js` for why). Requests are answered
 * in order. `stop` terminates the thread at once, even mid-statement, and rejects what is pending.
 */
export class PgliteEngine {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  #nextId = 0;
  #stopped: SqlSourceError | undefined;

  private constructor(worker: Worker, onStopped: (engine: PgliteEngine) => void) {
    this.#worker = worker;
    worker.on('message', (reply: Reply) => this.#settle(reply));
    const died = (error?: Error) => {
      const outOfMemory = (error as { code?: string } | undefined)?.code === 'ERR_WORKER_OUT_OF_MEMORY';
      const message = outOfMemory ? 'the database engine ran out of memory' : 'the database engine stopped';
      if (this.stop(new SqlSourceError(outOfMemory ? '53200' : SQLSTATE_ENGINE_STOPPED, message))) onStopped(this);
    };
    worker.on('error', died);
    worker.on('exit', () => died());
  }

  /** Starts a worker and resolves once PGlite is open. `onStopped` hears of unexpected deaths. */
  static start(init: PgliteEngineInit, onStopped: (engine: PgliteEngine) => void): Promise<PgliteEngine> {
    // Heap cap: a runaway result kills the worker (and is reported), never the server.
    const worker = new Worker(new URL('./pglite-worker.js', import.meta.url), {
      workerData: init,
      resourceLimits: { maxOldGenerationSizeMb: 768 },
    });
    return new Promise((resolve, reject) => {
      const fail = (error: Error) => {
        detach();
        void worker.terminate();
        reject(error);
      };
      const exited = () => fail(new SqlSourceError(SQLSTATE_ENGINE_STOPPED, 'the database engine did not start'));
      const opened = (message: { type: string; message?: string }) => {
        if (message.type !== 'ready') return fail(new Error(`PGlite failed to open: ${message.message}`));
        detach();
        resolve(new PgliteEngine(worker, onStopped));
      };
      // Only our own listeners: Node keeps internal ones on a Worker (message port referencing).
      const detach = () => {
        worker.off('error', fail);
        worker.off('exit', exited);
        worker.off('message', opened);
      };
      worker.on('error', fail);
      worker.on('exit', exited);
      worker.on('message', opened);
    });
  }

  get stopped(): boolean {
    return this.#stopped !== undefined;
  }

  query<Row>(text: string, params: readonly unknown[] = [], options: SqlQueryOptions = {}): Promise<EngineRows<Row>> {
    return this.#request({ op: 'query', text, params, rowMode: options.rowMode ?? 'object' }) as Promise<
      EngineRows<Row>
    >;
  }

  async exec(script: string): Promise<void> {
    await this.#request({ op: 'exec', text: script });
  }

  async dump(): Promise<Uint8Array> {
    return (await this.#request({ op: 'dump' })) as Uint8Array;
  }

  /** Closes PGlite cleanly (flushing a data directory), then ends the thread. */
  async close(): Promise<void> {
    if (this.#stopped) return;
    try {
      await this.#request({ op: 'close' });
    } finally {
      this.stop(new SqlSourceError(SQLSTATE_ENGINE_STOPPED, 'the database engine is closed'));
    }
  }

  /** Terminates the thread now; pending requests reject with `reason`. False if already stopped. */
  stop(reason: SqlSourceError): boolean {
    if (this.#stopped) return false;
    this.#stopped = reason;
    for (const pending of this.#pending.values()) pending.reject(reason);
    this.#pending.clear();
    void this.#worker.terminate();
    return true;
  }

  #request(message: Record<string, unknown>): Promise<unknown> {
    if (this.#stopped) return Promise.reject(this.#stopped);
    const id = ++this.#nextId;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ id, ...message });
    });
  }

  #settle(reply: Reply): void {
    const pending = this.#pending.get(reply.id);
    if (!pending) return;
    this.#pending.delete(reply.id);
    if (reply.ok) pending.resolve(reply.value);
    else pending.reject(new SqlSourceError(reply.error.code, reply.error.message, reply.error.position));
  }
}
