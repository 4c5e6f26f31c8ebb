import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The built web UI that `startServer` serves by default. */
export const WEB_ROOT = join(ROOT, 'dist/web');
const INDEX = join(WEB_ROOT, 'index.html');
const LOCK = join(ROOT, 'dist/.web-build.lock');
// What the bundle is made of: the UI and the modules it imports (wire protocol, report types).
const SOURCES = ['src/web', 'src/protocol', 'src/governance/types.ts', 'vite.config.ts'].map((path) =>
  join(ROOT, path),
);
const LOCK_STALE_MS = 5 * 60_000;

/**
 * Makes sure `dist/web` holds a build of the current UI sources: builds it (`vite build`, as
 * `npm run build:web` does) when it is missing or older than a source file, so a browser test
 * never runs against a stale bundle. Test files run in parallel processes: one builds under a
 * lock directory while the others wait, then find the build fresh.
 *
 * @throws with vite's output when the build fails.
 */
export async function ensureWebBuild(): Promise<string> {
  while (!isFresh()) {
    if (!tryLock()) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      continue;
    }
    try {
      if (!isFresh()) await build();
    } finally {
      rmSync(LOCK, { recursive: true, force: true });
    }
  }
  return WEB_ROOT;
}

function isFresh(): boolean {
  if (!existsSync(INDEX)) return false;
  const built = statSync(INDEX).mtimeMs;
  return SOURCES.every((source) => newestMtime(source) <= built);
}

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return /\.test\.tsx?$|\.md$/.test(path) ? 0 : stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

function tryLock(): boolean {
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  try {
    mkdirSync(LOCK);
    return true;
  } catch {
    // A lock left by a killed process would block every later run.
    if (existsSync(LOCK) && Date.now() - statSync(LOCK).mtimeMs > LOCK_STALE_MS) rmSync(LOCK, { recursive: true });
    return false;
  }
}

async function build(): Promise<void> {
  console.warn('Building the web UI into dist/web for the browser tests (npm run build:web)…');
  try {
    await promisify(execFile)(
      process.execPath,
      [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'],
      {
        cwd: ROOT,
        // vitest sets NODE_ENV=test, which would make a development bundle.
        env: { ...process.env, NODE_ENV: 'production' },
        timeout: 180_000,
      },
    );
  } catch (error) {
    const output = error as { stdout?: string; stderr?: string };
    throw new Error(
      `Building the web UI (dist/web) failed; run \`npm run build:web\` to see why.\n${output.stderr ?? ''}${output.stdout ?? ''}`,
      { cause: error },
    );
  }
}
