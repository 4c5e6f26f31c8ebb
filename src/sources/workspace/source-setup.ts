import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import type { SqlSetupTarget } from '../types.ts';

/** One SQL file of a source's `setup`, read. */
export interface SetupScript {
  /** As written in behalf.yaml (relative to the workspace). */
  file: string;
  sql: string;
}

/**
 * What `applySetupOnce` did: ran the scripts (`applied`), found them applied already
 * (`present`), or found the database made by other scripts (`changed`: left as it is).
 */
export type SetupOutcome = 'applied' | 'present' | 'changed';

/** Reads a source's setup files, relative to the workspace directory, in order. */
export async function readSetupScripts(files: readonly string[], workspaceDir: string): Promise<SetupScript[]> {
  return Promise.all(
    files.map(async (file) => {
      const path = isAbsolute(file) ? file : resolve(workspaceDir, file);
      try {
        return { file, sql: await readFile(path, 'utf8') };
      } catch (error) {
        const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error);
        throw new Error(`setup file ${file} cannot be read (${path}): ${reason}`, { cause: error });
      }
    }),
  );
}

/** Identifies a setup: its file names and contents, in order. */
export function setupHash(scripts: readonly SetupScript[]): string {
  const hash = createHash('sha256');
  for (const { file, sql } of scripts) hash.update(`${file}\u0000${sql}\u0000`);
  return hash.digest('hex');
}

/**
 * Key of the advisory lock held while a source is set up or its login granted, in the
 * two-integer form (`pg_advisory_xact_lock(namespace, key)`): "BHLF", "SETU". Per database.
 */
export const SETUP_LOCK = [0x42484c46, 0x53455455] as const;

/**
 * Runs a source's setup scripts once per database: in one transaction with the record of it
 * (`behalf_setup.applied`, which the query roles cannot read), so a failure leaves nothing
 * half-made and the next open tries again, and a later open finds the record and runs nothing.
 * The transaction holds an advisory lock, so processes opening one PostgreSQL database together
 * run it once: the others wait, then find the record. Scripts are trusted text from the workspace
 * (several statements each), never model output.
 */
export async function applySetupOnce(
  target: SqlSetupTarget,
  source: string,
  scripts: readonly SetupScript[],
  hash = setupHash(scripts),
): Promise<SetupOutcome> {
  // Read without writing first: a database already set up is left untouched.
  const recorded = await recordedHash(target, source);
  if (recorded !== undefined) return recorded === hash ? 'present' : 'changed';
  await target.exec('BEGIN');
  try {
    await target.query('SELECT pg_advisory_xact_lock($1, $2)', [...SETUP_LOCK]);
    await target.exec(`CREATE SCHEMA IF NOT EXISTS behalf_setup;
REVOKE ALL ON SCHEMA behalf_setup FROM PUBLIC;
CREATE TABLE IF NOT EXISTS behalf_setup.applied (
  source text PRIMARY KEY,
  hash text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
);`);
    const previous = await recordedHash(target, source);
    if (previous !== undefined) {
      await target.exec('COMMIT');
      return previous === hash ? 'present' : 'changed';
    }
    for (const { file, sql } of scripts) {
      try {
        await target.exec(sql);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new Error(`setup file ${file} failed: ${reason}`, { cause: error });
      }
    }
    await target.query('INSERT INTO behalf_setup.applied (source, hash) VALUES ($1, $2)', [source, hash]);
    await target.exec('COMMIT');
  } catch (error) {
    await target.exec('ROLLBACK').catch(() => undefined);
    throw error;
  }
  return 'applied';
}

async function recordedHash(target: SqlSetupTarget, source: string): Promise<string | undefined> {
  const table = await target.query<{ present: boolean }>(
    `SELECT pg_catalog.to_regclass('behalf_setup.applied') IS NOT NULL AS present`,
  );
  if (!table.rows[0]?.present) return undefined;
  const stored = await target.query<{ hash: string }>('SELECT hash FROM behalf_setup.applied WHERE source = $1', [
    source,
  ]);
  return stored.rows[0]?.hash;
}
