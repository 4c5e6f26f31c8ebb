import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { openDeployment } from '../../app/open-deployment.ts';
import { type AuditExportFormat, exportAudit } from '../../audit/export.ts';
import { type AuditAnchor, verifyChain } from '../../audit/verify.ts';
import { EXIT } from '../exit-codes.ts';
import type { CommandOutput } from '../output.ts';

/** `behalf audit verify`: walks the hash chain; exit 1 when it is broken. */
export async function auditVerifyCommand(
  options: { data: string; anchor?: string; json?: boolean },
  output: CommandOutput,
): Promise<number> {
  const anchor = options.anchor ? parseAnchor(options.anchor) : undefined;
  const deployment = await openDeployment({ dataDir: options.data, env: process.env, seed: false });
  try {
    const total = await deployment.store.audit.count();
    const result = await verifyChain(deployment.store.audit, {
      ...(anchor ? { anchor } : {}),
      onProgress: (checked) => output.progress(`verified ${checked}/${total} records`),
    });
    if (options.json) output.out(JSON.stringify(result));
    else if (result.ok) {
      output.out(`Audit chain verified: ${result.count} records.`);
      // Kept outside the database, this anchor lets a later run detect a truncated tail.
      if (result.count > 0) output.out(`Anchor: ${result.count}:${result.head}`);
    } else
      output.out(
        `Audit chain BROKEN at record ${result.brokenAt}: ${result.reason} (${result.count} records verified before it)`,
      );
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
    for await (const line of exportAudit(deployment.store.audit, options.format)) {
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

function parseAnchor(text: string): AuditAnchor {
  const match = /^(\d+):([0-9a-f]{64})$/.exec(text);
  if (!match) throw new UsageError('--anchor takes SEQ:HASH, as printed by a previous verification');
  return { seq: Number(match[1]), hash: match[2] as string };
}

/** A usage mistake found after parsing (exit code 2). */
export class UsageError extends Error {}
