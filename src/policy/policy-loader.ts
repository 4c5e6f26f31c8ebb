import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { policySetTextToParts, policyToJson } from '@cedar-policy/cedar-wasm/nodejs';
import { AppError } from '../protocol/errors.ts';
import { readDefaultSchema } from './default-schema.ts';
import { checkPolicySet, describeCedarError, POLICY_ID_PATTERN } from './policy-set.ts';

/** Behalf's policies, `policies/*.cedar` beside this module. */
export const DEFAULT_POLICY_DIR = fileURLToPath(new URL('./policies/', import.meta.url));

/** Where one policy came from, for error messages. */
interface PolicySource {
  file: string;
  text: string;
  /** Offset of the policy in its file. */
  start: number;
  fileText: string;
}

/**
 * Reads every `*.cedar` file of a directory and splits it into policies keyed by their `@id`.
 * Refuses to return anything doubtful (the app must not start on it, and never allows all):
 * a missing or empty directory, a parse error, a policy without `@id` or `@reason`, a
 * duplicate id, or a set that fails Cedar's strict validation against the schema all throw
 * `AppError('policy_invalid')` naming the file, line and problem.
 */
export async function loadPolicyDirectory(
  dir: string = DEFAULT_POLICY_DIR,
  options: { schema?: string } = {},
): Promise<Record<string, string>> {
  const files = await listPolicyFiles(dir);
  const policies: Record<string, string> = {};
  const sources = new Map<string, PolicySource>();
  for (const file of files) {
    const fileText = await readFile(join(dir, file), 'utf8').catch((error: unknown) => {
      throw new AppError('policy_invalid', `Invalid policies: ${file} cannot be read (${codeOf(error)})`, undefined, {
        cause: error,
      });
    });
    const parts = policySetTextToParts(fileText);
    if (parts.type === 'failure') {
      const [first] = parts.errors;
      const where = lineOf(fileText, first?.sourceLocations?.[0]?.start);
      refuse(`${file}${where}: does not parse: ${first ? describeCedarError(first) : 'unknown error'}`);
    }
    if (parts.policy_templates.length > 0) refuse(`${file}: templates are not supported`);
    // Cedar returns parts sorted by generated id; file order makes messages easier to follow.
    const located = parts.policies.map((text) => ({ text, start: fileText.indexOf(text) }));
    located.sort((a, b) => a.start - b.start);
    for (const { text, start } of located) {
      const where = `${file}${lineOf(fileText, start)}`;
      const id = annotationsOf(text, where);
      if (id.id === undefined) refuse(`${where}: policy has no @id("…") annotation`);
      if (!POLICY_ID_PATTERN.test(id.id)) refuse(`${where}: @id("${id.id}") is not kebab-case`);
      if (id.reason === undefined) refuse(`${where}: policy "${id.id}" has no @reason("…") annotation`);
      const previous = sources.get(id.id);
      if (previous) {
        refuse(
          `${where}: duplicate @id("${id.id}"), already used in ${previous.file}${lineOf(previous.fileText, previous.start)}`,
        );
      }
      policies[id.id] = text;
      sources.set(id.id, { file, text, start, fileText });
    }
  }
  if (sources.size === 0) refuse(`${dir}: the .cedar files hold no policies`);

  const checked = checkPolicySet(policies, options.schema ?? (await readDefaultSchema()));
  if ('problems' in checked) {
    const messages = checked.problems.map((problem) => {
      const source = problem.policyId === undefined ? undefined : sources.get(problem.policyId);
      if (!source) return problem.message;
      const where = `${source.file}${lineOf(source.fileText, source.start + (problem.offset ?? 0))}`;
      return `${where}: policy "${problem.policyId}": ${problem.message}`;
    });
    refuse(`schema validation failed: ${messages.join('; ')}`);
  }
  return policies;
}

async function listPolicyFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((error: unknown) => {
    throw new AppError('policy_invalid', `Policy directory ${dir} cannot be read (${codeOf(error)})`, undefined, {
      cause: error,
    });
  });
  const files = entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.cedar'))
    .map((entry) => entry.name)
    .sort();
  if (files.length === 0) refuse(`${dir}: no .cedar policy files`);
  return files;
}

function codeOf(error: unknown): string {
  return (error as NodeJS.ErrnoException | undefined)?.code ?? 'error';
}

function annotationsOf(text: string, where: string): { id?: string; reason?: string } {
  const parsed = policyToJson(text);
  if (parsed.type === 'failure') refuse(`${where}: ${parsed.errors.map(describeCedarError).join('; ')}`);
  return parsed.json.annotations ?? {};
}

/** `:line` (1-based) of an offset in a text, or nothing when unknown. */
function lineOf(text: string, offset: number | undefined): string {
  if (offset === undefined || offset < 0) return '';
  return `:${text.slice(0, offset).split('\n').length}`;
}

function refuse(message: string): never {
  throw new AppError('policy_invalid', `Invalid policies: ${message}`);
}
