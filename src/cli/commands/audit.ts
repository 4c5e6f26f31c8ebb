import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { openDeployment } from '../../app/open-deployment.ts';
import type { AuditExportFormat } from '../../audit/export.ts';
import type { AuditVerification } from '../../audit/types.ts';
import type { AuditAnchor } from '../../audit/verify.ts';
import { EXIT } from '../exit-codes.ts';
import type { CommandOutput } from '../output.ts';

/**
 * `behalf audit verify`: walks the hash chain and compares it with every signed checkpoint in
 * the deployment's checkpoint file (and `--anchor`, when given); exit 1 when the chain is broken,
 * does not hold a checkpoint unchanged, is shorter than one, or the file holds a forged line.
 */
export async function auditVerifyCommand(
  options: { data: string; anchor?: string; json?: boolean },
  output: CommandOutput,
): Promise<number> {
  const anchor = options.anchor ? parseAnchor(options.anchor) : undefined;
  const deployment = await openDeployment({ dataDir: options.data, env: process.env, seed: false });
  try {
    const total = await deployment.app.auditReads.count();
    const result = await deployment.app.auditReads.verify({
      checkpoints: deployment.checkpoints,
      anchor,
      onProgress: (checked) => output.progress(`verified ${checked}/${total} records`),
    });
    if (options.json) output.out(JSON.stringify(result));
    else for (const line of describeVerification(result, deployment.checkpoints.path)) output.out(line);
    return result.ok ? EXIT.ok : EXIT.negative;
  } finally {
    await deployment.close();
  }
}

/** `behalf audit export`: the log as JSONL or OpenTelemetry-shaped spans, to stdout or a file. */
export async function auditExportCommand(
  options: { data: string; format: AuditExportFormat; output?: string },
  output: CommandOutput,
): Promise<number> {
  const deployment = await openDeployment({ dataDir: options.data, env: process.env, seed: false });
  try {
    const file = options.output ? createWriteStream(options.output) : undefined;
    let count = 0;
    for await (const line of deployment.app.auditReads.exportAll(options.format)) {
      if (file) {
        if (!file.write(`${line}\n`)) await once(file, 'drain');
      } else output.out(line);
      count += 1;
      if (count % 10_000 === 0) output.progress(`exported ${count} records`);
    }
    if (file) {
      file.end();
      await once(file, 'finish');
      output.progress(`exported ${count} records to ${options.output}`);
    }
    return EXIT.ok;
  } finally {
    await deployment.close();
  }
}

/** `behalf audit checkpoint`: verifies the whole chain, then signs and appends its head. */
export async function auditCheckpointCommand(
  options: { data: string; json?: boolean },
  output: CommandOutput,
): Promise<number> {
  const deployment = await openDeployment({ dataDir: options.data, env: process.env, seed: false });
  try {
    const { checkpoints } = deployment;
    // A chain that no longer matches its checkpoints (or is broken) is never signed.
    const result = await deployment.app.auditReads.verify({ checkpoints });
    if (!result.ok) {
      if (options.json) output.out(JSON.stringify({ written: null, verification: result }));
      else output.out(`Not checkpointed: ${result.reason}`);
      return EXIT.negative;
    }
    if (result.count === 0) {
      if (options.json) output.out(JSON.stringify({ written: null, verification: result }));
      else output.out('The audit log is empty; nothing to checkpoint.');
      return EXIT.ok;
    }
    const written = await checkpoints.append({ seq: result.count, hash: result.head });
    if (options.json) output.out(JSON.stringify({ written, verification: result }));
    else output.out(`Checkpointed record ${written.seq} (${written.hash}) in ${checkpoints.path}.`);
    return EXIT.ok;
  } finally {
    await deployment.close();
  }
}

function describeVerification(result: AuditVerification, path: string): string[] {
  const lines: string[] = [];
  if (result.ok) {
    lines.push(`Audit chain verified: ${result.count} records.`);
    // Kept outside the database, this anchor lets a later run detect a truncated tail.
    if (result.count > 0) lines.push(`Anchor: ${result.count}:${result.head}`);
  } else if (result.brokenAt === 0) lines.push(`Audit checkpoints UNTRUSTWORTHY: ${result.reason}`);
  else
    lines.push(
      `Audit chain BROKEN at record ${result.brokenAt}: ${result.reason} (${result.count} records verified before it)`,
    );
  const { checkpoint } = result;
  if (!checkpoint) lines.push(`No signed checkpoint in ${path} yet: only the chain itself was checked.`);
  else if (checkpoint.ok) {
    const after = result.ok ? result.count - checkpoint.seq : 0;
    lines.push(
      `Checkpoint: record ${checkpoint.seq} as signed ${new Date(checkpoint.at).toISOString()} (${checkpoint.checked} checkpoints checked${after > 0 ? `; the ${after} records after it are protected by the chain alone` : ''}).`,
    );
  } else lines.push(`Checkpoint FAILED: ${checkpoint.reason}`);
  return lines;
}

function parseAnchor(text: string): AuditAnchor {
  const match = /^(\d+):([0-9a-f]{64})$/.exec(text);
  if (!match) throw new UsageError('--anchor takes SEQ:HASH, as printed by a previous verification');
  return { seq: Number(match[1]), hash: match[2] as string };
}

/** A usage mistake found after parsing (exit code 2). */
export class UsageError extends Error {}
