import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

// Issue 11 item 9: README promises Node.js 20 (≥ 20.19), and a fresh `npm ci` on it must print no
// EBADENGINE warning. The AI SDK 7 line declared Node ≥ 22 and printed seven.

const root = new URL('../../', import.meta.url);
const readJson = (file: string): unknown => JSON.parse(readFileSync(new URL(file, root), 'utf8'));

interface LockEntry {
  engines?: { node?: unknown } | unknown[];
}

const manifest = readJson('package.json') as { engines: { node: string } };
const lock = readJson('package-lock.json') as { packages: Record<string, LockEntry> };
/** The oldest Node version package.json allows: the one README promises. */
const oldestNode = semver.minVersion(manifest.engines.node)?.version ?? 'unparsable';

/** Locked packages whose `engines.node` refuses `version`, the way npm checks it. */
function refusing(version: string): string[] {
  return Object.entries(lock.packages).flatMap(([path, entry]) => {
    const range = entry.engines && !Array.isArray(entry.engines) ? entry.engines.node : undefined;
    if (path === '' || typeof range !== 'string') return [];
    return semver.satisfies(version, range, { includePrerelease: true }) ? [] : [`${path} needs node ${range}`];
  });
}

describe('clean install (issue 11)', () => {
  it('README names the oldest Node version package.json allows', () => {
    expect(oldestNode).toBe('20.19.0');
    expect(readFileSync(new URL('README.md', root), 'utf8')).toContain('Node.js 20 (≥ 20.19)');
  });

  it('every locked package accepts the oldest Node we promise and the one running', () => {
    expect(refusing(oldestNode)).toEqual([]);
    expect(refusing(process.version)).toEqual([]);
  });

  it('npm ci prints no warning on this Node', async () => {
    // A dry run resolves the locked tree and runs npm's own engine checks without touching node_modules.
    const { stdout, stderr } = await promisify(execFile)(
      'npm',
      ['ci', '--dry-run', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'],
      { cwd: root },
    );
    expect(`${stdout}${stderr}`).not.toMatch(/EBADENGINE|npm warn/i);
  });
});
