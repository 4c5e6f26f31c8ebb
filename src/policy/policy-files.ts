import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { policySetTextToParts, policyToJson } from '@cedar-policy/cedar-wasm/nodejs';
import { describeCedarError, POLICY_ID_PATTERN, type PolicyProblem } from './policy-set.ts';

/** Behalf's own policies, the same in every workspace: `policies/*.cedar` beside this module. */
export const PRODUCT_POLICY_DIR = fileURLToPath(new URL('./policies/', import.meta.url));

/** One problem of a policy set, located so an editor can jump to it. */
export interface PolicyFileProblem {
  /** The file at fault, as shown to people (`policies/clearance.cedar`, `behalf.yaml`). */
  file: string;
  /** 1-based; 0 when the problem has no line (a missing folder, a key of `behalf.yaml` not located). */
  line: number;
  /** The key of `behalf.yaml` at fault, for catalogue problems (`labels[2].readers[0]`). */
  path?: string;
  /** The policy concerned, when there is one. */
  policyId?: string;
  message: string;
}

/** `policies/clearance.cedar:12: policy "x": …`, `behalf.yaml labels[2].id: …` */
export function formatPolicyProblem(problem: PolicyFileProblem): string {
  const place = problem.line > 0 ? `${problem.file}:${problem.line}` : problem.file;
  const key = problem.path ? ` ${problem.path}` : '';
  return `${place}${key}: ${problem.message}`;
}

/** Where a policy read from a file is. */
export interface PolicyLocation {
  /** The file as shown to people. */
  file: string;
  /** Offset of the policy in its file, and the file's text (to turn offsets into lines). */
  start: number;
  fileText: string;
}

/** The policies of a directory's `*.cedar` files and what was wrong with them. */
export interface PolicyFiles {
  policies: Record<string, string>;
  locations: Map<string, PolicyLocation>;
  problems: PolicyFileProblem[];
  /** How many `.cedar` files were read. */
  files: number;
}

/**
 * Reads every `*.cedar` file at the top of a directory and splits it into policies keyed by
 * their `@id`, collecting every problem (never a partial answer the caller might use): an
 * unreadable directory, a parse error, a template, a policy without `@id` or `@reason`, an id
 * that is not kebab-case, an id used twice (here, or among `taken`: ids already in the set,
 * with a description of where). Schema validation is the caller's.
 */
export async function readPolicyFiles(
  dir: string,
  options: { display?: (file: string) => string; taken?: ReadonlyMap<string, string> } = {},
): Promise<PolicyFiles> {
  const display = options.display ?? ((file: string) => file);
  const result: PolicyFiles = { policies: {}, locations: new Map(), problems: [], files: 0 };
  const problem = (file: string, line: number, message: string, policyId?: string) =>
    result.problems.push({ file, line, message, ...(policyId ? { policyId } : {}) });
  let entries: string[];
  try {
    entries = (await readdir(dir, { withFileTypes: true }))
      .filter((entry) => entry.isFile() && entry.name.endsWith('.cedar'))
      .map((entry) => entry.name)
      .sort();
  } catch (error) {
    problem(dir, 0, `policy directory ${dir} cannot be read (${codeOf(error)})`);
    return result;
  }
  for (const name of entries) {
    const file = display(name);
    let fileText: string;
    try {
      fileText = await readFile(join(dir, name), 'utf8');
    } catch (error) {
      problem(file, 0, `cannot be read (${codeOf(error)})`);
      continue;
    }
    result.files += 1;
    const parts = policySetTextToParts(fileText);
    if (parts.type === 'failure') {
      const [first] = parts.errors;
      problem(
        file,
        lineAt(fileText, first?.sourceLocations?.[0]?.start),
        `does not parse: ${first ? describeCedarError(first) : 'unknown error'}`,
      );
      continue;
    }
    if (parts.policy_templates.length > 0) problem(file, 0, 'templates are not supported');
    // Cedar returns parts sorted by generated id; file order makes messages easier to follow.
    let from = 0;
    const located = parts.policies
      .map((text) => ({ text, start: fileText.indexOf(text) }))
      .sort((a, b) => a.start - b.start)
      .map((part) => {
        // Two identical texts: the second is found after the first.
        const start = part.start < from ? fileText.indexOf(part.text, from) : part.start;
        from = start + part.text.length;
        return { ...part, start };
      });
    for (const { text, start } of located) {
      const line = lineAt(fileText, start);
      const parsed = policyToJson(text);
      if (parsed.type === 'failure') {
        problem(file, line, parsed.errors.map(describeCedarError).join('; '));
        continue;
      }
      const { id, reason } = parsed.json.annotations ?? {};
      if (id === undefined) {
        problem(file, line, 'policy has no @id("…") annotation');
        continue;
      }
      if (!POLICY_ID_PATTERN.test(id)) problem(file, line, `@id("${id}") is not kebab-case`, id);
      if (reason === undefined || reason === null)
        problem(file, line, `policy "${id}" has no @reason("…") annotation`, id);
      const previous = result.locations.get(id);
      const elsewhere = options.taken?.get(id);
      if (previous || elsewhere) {
        const where = previous ? `${previous.file}:${lineAt(previous.fileText, previous.start)}` : elsewhere;
        problem(file, line, `duplicate @id("${id}"), already used in ${where}`, id);
        continue;
      }
      result.policies[id] = text;
      result.locations.set(id, { file, start, fileText });
    }
  }
  return result;
}

/** A schema-validation problem of one policy, located in its file. */
export function locateProblem(
  problem: PolicyProblem,
  where: (policyId: string) => { file: string; line: number } | undefined,
  offsetLine?: (policyId: string, offset: number) => number | undefined,
): PolicyFileProblem {
  const located = problem.policyId === undefined ? undefined : where(problem.policyId);
  if (!located || problem.policyId === undefined) return { file: 'policies', line: 0, message: problem.message };
  const line =
    problem.offset === undefined ? located.line : (offsetLine?.(problem.policyId, problem.offset) ?? located.line);
  return {
    file: located.file,
    line,
    policyId: problem.policyId,
    message: `policy "${problem.policyId}": ${problem.message}`,
  };
}

/** The 1-based line of an offset in a text (0 when unknown). */
export function lineAt(text: string, offset: number | undefined): number {
  if (offset === undefined || offset < 0) return 0;
  return text.slice(0, offset).split('\n').length;
}

function codeOf(error: unknown): string {
  return (error as NodeJS.ErrnoException | undefined)?.code ?? 'error';
}
