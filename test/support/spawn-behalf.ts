import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Real `behalf` processes for multi-process and crash tests: `node bin/behalf.js …` as a child
 * process, exactly as an operator starts it. The environment is the test's own minus every
 * Behalf setting (`DATABASE_URL`, `BEHALF_*`), plus what the test passes, so a developer's shell
 * never leaks into a test deployment.
 */

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/behalf.js', import.meta.url));
const SERVING = /Behalf is serving (http:\/\/\S+)/;

/** How a process ended. */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A running `behalf serve`. */
export interface BehalfProcess {
  /** The test's name for it (`A`, `B`…), in messages. */
  readonly name: string;
  readonly pid: number;
  /** The URL the server printed, with the port it actually bound. */
  readonly url: string;
  /** The WebSocket endpoint (`ws://…/api/ws`). */
  readonly wsUrl: string;
  /** Everything it wrote so far, stdout and stderr interleaved. */
  output(): string;
  /** Resolves with the output once it matches `pattern` (lines printed after "serving"). */
  waitForOutput(pattern: RegExp | string, timeoutMs?: number): Promise<string>;
  readonly exited: Promise<ProcessExit>;
  /** Sends `signal` (SIGKILL by default) and resolves once the process is gone. */
  kill(signal?: 'SIGKILL' | 'SIGTERM'): Promise<ProcessExit>;
}

export interface SpawnBehalfOptions {
  /** `--data` directory (required even on PostgreSQL: never the developer's `./data`). */
  dataDir: string;
  /** Settings on top of the cleaned environment (`DATABASE_URL`, `BEHALF_MCP_SERVERS`…). */
  env?: Record<string, string>;
  name?: string;
  /** How long to wait for the "serving" line (default 60 s: two cores shared with other tests). */
  readyTimeoutMs?: number;
}

/** The environment a child process gets: the test's own without Behalf settings, plus `extra`. */
export function behalfEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key === 'DATABASE_URL' || key.startsWith('BEHALF_')) continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

/**
 * Starts `behalf serve --port 0 --host 127.0.0.1 --data <dir>` and resolves once it prints the
 * URL it serves. Rejects (with the process's output) if it exits or stays silent too long.
 * Kill it in `afterAll` — `BehalfProcesses` keeps track of that.
 */
export async function spawnBehalf(options: SpawnBehalfOptions): Promise<BehalfProcess> {
  const name = options.name ?? 'behalf';
  const child = spawn(
    process.execPath,
    [BIN, 'serve', '--port', '0', '--host', '127.0.0.1', '--data', options.dataDir],
    { cwd: REPO_ROOT, env: behalfEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = exitOf(child);
  let output = '';
  let url: string | undefined;
  const ready = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`behalf ${name} did not start within ${options.readyTimeoutMs ?? 60_000} ms:\n${output}`));
    }, options.readyTimeoutMs ?? 60_000);
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      const match = url ? undefined : SERVING.exec(output);
      if (match?.[1]) {
        url = match[1];
        clearTimeout(timer);
        resolve(url);
      }
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    void exited.then((exit) => {
      clearTimeout(timer);
      reject(new Error(`behalf ${name} exited (${exit.code ?? exit.signal}) before serving:\n${output}`));
    });
  });
  const served = await ready;
  return {
    name,
    pid: child.pid as number,
    url: served,
    wsUrl: `${served.replace(/^http/, 'ws')}/api/ws`,
    output: () => output,
    async waitForOutput(pattern, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      const matches = () => (typeof pattern === 'string' ? output.includes(pattern) : pattern.test(output));
      while (!matches()) {
        if (Date.now() > deadline) throw new Error(`behalf ${name} never printed ${pattern}:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return output;
    },
    exited,
    kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Runs a one-shot `behalf` command to completion (e.g. `audit verify`, a `serve` expected to fail). */
export async function runBehalf(
  args: string[],
  options: { env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<ProcessExit & { stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: REPO_ROOT,
    env: behalfEnv(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  const exit = await exitOf(child);
  clearTimeout(timer);
  return { ...exit, stdout, stderr };
}

/**
 * The processes one test file started, so `afterAll` can end them all (and, should the test
 * worker itself exit first, they are killed then too). Only ever kills its own children.
 */
export class BehalfProcesses {
  private readonly running = new Set<BehalfProcess>();
  private readonly onExit = () => {
    for (const child of this.running) {
      try {
        process.kill(child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  };

  constructor() {
    process.once('exit', this.onExit);
  }

  async spawn(options: SpawnBehalfOptions): Promise<BehalfProcess> {
    const child = await spawnBehalf(options);
    this.running.add(child);
    void child.exited.then(() => this.running.delete(child));
    return child;
  }

  /** Kills every process still running (SIGKILL) and waits until they are gone. */
  async killAll(): Promise<void> {
    process.off('exit', this.onExit);
    await Promise.all([...this.running].map((child) => child.kill('SIGKILL')));
  }
}

function exitOf(child: ChildProcess): Promise<ProcessExit> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve({ code: child.exitCode, signal: child.signalCode });
      return;
    }
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
}
