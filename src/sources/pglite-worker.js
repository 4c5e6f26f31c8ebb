// The PGlite engine host, run in a worker thread by `pglite-source.ts`.
//
// Why a worker: PGlite runs PostgreSQL synchronously on the calling thread, so its timers (and
// with them `statement_timeout`) cannot fire while a statement runs, and a slow statement would
// block the whole server. In a worker, the event loop stays free and the source can terminate a
// runaway statement at its deadline. This file is plain JavaScript because worker threads load
// files with Node's own loader, which does not read TypeScript on Node 20.
//
// Protocol: workerData `{ dataDir?, snapshot?: Uint8Array, wasmModule?: WebAssembly.Module }`;
// the worker posts `{ type: 'ready' }` or `{ type: 'failed', message }`, then answers each request
// `{ id, op: 'query' | 'exec' | 'dump' | 'close', ... }` with `{ id, ok, value | error }`, one at
// a time in arrival order.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';

/** @param {unknown} error */
function describeError(error) {
  const source = /** @type {{ code?: unknown, message?: unknown, position?: unknown }} */ (error ?? {});
  return {
    code: typeof source.code === 'string' ? source.code : 'XX000',
    message: typeof source.message === 'string' ? source.message : String(error),
    position: source.position === undefined ? undefined : Number(source.position),
  };
}

/** @param {string | undefined} dataDir @param {Uint8Array | undefined} snapshot @param {WebAssembly.Module | undefined} wasmModule */
async function open(dataDir, snapshot, wasmModule) {
  /** @type {import('@electric-sql/pglite').PGliteOptions} */
  const options = {};
  if (dataDir) options.dataDir = dataDir;
  // A snapshot seeds a data directory once; afterwards the directory is the truth.
  const seeded = dataDir !== undefined && existsSync(join(dataDir, 'PG_VERSION'));
  if (snapshot && !seeded) options.loadDataDir = new Blob([snapshot]);
  if (wasmModule) options.pgliteWasmModule = wasmModule;
  return PGlite.create(options);
}

/** @param {import('@electric-sql/pglite').PGlite} db @param {{ op: string, text?: string, params?: unknown[], rowMode?: 'object' | 'array' }} request */
async function handle(db, request) {
  switch (request.op) {
    case 'query': {
      const result = await db.query(request.text ?? '', request.params ?? [], { rowMode: request.rowMode ?? 'object' });
      return {
        value: {
          rows: result.rows,
          fields: result.fields.map((field) => ({ name: field.name })),
          command: result.command,
        },
      };
    }
    case 'exec':
      await db.exec(request.text ?? '');
      return { value: null };
    case 'dump': {
      const bytes = new Uint8Array(await (await db.dumpDataDir('none')).arrayBuffer());
      return { value: bytes, transfer: [bytes.buffer] };
    }
    case 'close':
      await db.close();
      return { value: null };
    default:
      throw new Error(`unknown operation ${request.op}`);
  }
}

async function main() {
  const port = parentPort;
  if (!port) return;
  let db;
  try {
    db = await open(workerData?.dataDir, workerData?.snapshot, workerData?.wasmModule);
  } catch (error) {
    port.postMessage({ type: 'failed', message: describeError(error).message });
    return;
  }
  const engine = db;
  // Requests run strictly one after another: PGlite is one session.
  let queue = Promise.resolve();
  port.on('message', (request) => {
    queue = queue.then(async () => {
      try {
        const { value, transfer } = await handle(engine, request);
        port.postMessage({ id: request.id, ok: true, value }, transfer ?? []);
      } catch (error) {
        port.postMessage({ id: request.id, ok: false, error: describeError(error) });
      }
    });
  });
  port.postMessage({ type: 'ready' });
}

await main();
