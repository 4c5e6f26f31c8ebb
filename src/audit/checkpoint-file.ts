import { mkdir, open, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { CheckpointSigner } from './checkpoint-signer.ts';
import type { AuditCheckpoint } from './types.ts';

const CheckpointLine = z.strictObject({
  v: z.literal(1),
  seq: z.number().int().positive(),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  at: z.number().int().nonnegative(),
  kid: z.string().min(1).max(64),
  mac: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
});

/** What a checkpoint file holds, as far as this deployment's key can tell. */
export interface CheckpointFileContents {
  /** Every line with this key's valid signature, in file order. */
  checkpoints: AuditCheckpoint[];
  /**
   * The first line that claims to be a checkpoint but cannot be trusted (bad signature, another
   * key, wrong shape), or null. Any such line makes verification fail: it is a forgery attempt
   * or a misconfiguration, and either needs a person to look.
   */
  problem: string | null;
  /**
   * Lines that are not JSON at all, ignored: a crash can tear a line being appended, and such a
   * fragment can never pass for a checkpoint, so skipping it gives a forger nothing.
   */
  torn: number;
}

/**
 * Reads and checks every line of the file; null when it does not exist (nothing checkpointed yet).
 */
export async function readCheckpointFile(
  path: string,
  loadSigner: () => Promise<CheckpointSigner>,
): Promise<CheckpointFileContents | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  // The key is loaded only once there is something to check.
  const signer = await loadSigner();
  const contents: CheckpointFileContents = { checkpoints: [], problem: null, torn: 0 };
  for (const [index, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      contents.torn += 1;
      continue;
    }
    const parsed = CheckpointLine.safeParse(value);
    const problem = parsed.success ? signer.check(parsed.data) : 'it is not a checkpoint';
    if (problem === null && parsed.success) contents.checkpoints.push(parsed.data);
    else contents.problem ??= `line ${index + 1} of the checkpoint file ${path} cannot be trusted: ${problem}`;
  }
  return contents;
}

/**
 * Appends one checkpoint as one line and waits until it is on disk. The file is opened in append
 * mode and the line goes out in a single write, so processes sharing the file on a local file
 * system never interleave lines (a few hundred bytes per write; network file systems do not
 * promise this for appends). A line torn by an earlier crash is closed off first, so it cannot
 * swallow this one.
 */
export async function appendCheckpoint(path: string, checkpoint: AuditCheckpoint): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const handle = await open(path, 'a+', 0o644);
  let created: boolean;
  try {
    const { size } = await handle.stat();
    created = size === 0;
    let prefix = '';
    if (size > 0) {
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, size - 1);
      if (last[0] !== 0x0a) prefix = '\n';
    }
    await handle.write(`${prefix}${JSON.stringify(checkpoint)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  // A new file's directory entry must be durable too, or a crash could lose the whole file.
  if (created && process.platform !== 'win32') {
    const directory = await open(dirname(path), 'r');
    try {
      await directory.sync();
    } finally {
      await directory.close();
    }
  }
}
