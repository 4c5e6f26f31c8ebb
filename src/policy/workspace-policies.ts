import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { policyToJson } from '@cedar-policy/cedar-wasm/nodejs';
import { isNode, LineCounter, parseDocument } from 'yaml';
import { AppError } from '../protocol/errors.ts';
import type { LabelSpec, WorkspaceConfig } from '../workspace/workspace-config.ts';
import { type CompiledPolicy, compileAdmins, compileLabelCatalogue } from './compile-catalogue.ts';
import { readDefaultSchema } from './default-schema.ts';
import { dottedKey as dotted, findCatalogueProblems, LabelCatalogue } from './label-catalogue.ts';
import {
  formatPolicyProblem,
  lineAt,
  type PolicyFileProblem,
  type PolicyLocation,
  PRODUCT_POLICY_DIR,
  readPolicyFiles,
} from './policy-files.ts';
import { checkPolicySet, checkSchema } from './policy-set.ts';

/** What a workspace's policy set is made of. */
export interface WorkspacePolicyOptions {
  /** The label catalogue (`labels:` of `behalf.yaml`). */
  labels: readonly LabelSpec[];
  /** Groups that administer the workspace (`admins:`): they provision agents and see the admin page. */
  admins?: readonly string[];
  /** The workspace's folder of further `*.cedar` policies (`policies:`), if it has one. */
  policiesDir?: string;
  /** How problems of the catalogue name `behalf.yaml` (default `behalf.yaml`). */
  configFile?: string;
  /** The line of a key of `behalf.yaml` (`['labels', 2, 'readers']`), so catalogue problems have one. */
  locate?: (path: readonly (string | number)[]) => number;
  /** Behalf's Cedar schema text; default `schema.cedarschema`. */
  schema?: string;
  /** Behalf's own policies; default {@link PRODUCT_POLICY_DIR}. */
  productDir?: string;
}

/** Where a policy of the set comes from, for messages and the administrator's page. */
export interface PolicySource {
  /** `product`: Behalf's own; `catalogue`: generated from `labels:` or `admins:`; `workspace`: the policies folder. */
  origin: 'product' | 'catalogue' | 'workspace';
  /** `src/policy/policies/threads.cedar`, `behalf.yaml`, `policies/clearance.cedar`. */
  file: string;
  line: number;
  /** For generated policies: the key of `behalf.yaml` they come from (`labels[1].readers`). */
  key?: string;
}

/** A workspace's validated policy set: what the policy engine runs. */
export interface WorkspacePolicySet {
  /** Policy texts by `@id`: Behalf's own, the compiled catalogue and admins, the workspace's files. */
  policies: Record<string, string>;
  /** Label entities are built from it (`createCedarPolicyEngine({ labels })`). */
  catalogue: LabelCatalogue;
  /** The schema the set was validated against, generated for the workspace. */
  schema: string;
  sources: Record<string, PolicySource>;
}

/** The outcome of {@link checkWorkspacePolicies}: the set, or every problem found. */
export type WorkspacePolicyCheck = { ok: true; set: WorkspacePolicySet } | { ok: false; problems: PolicyFileProblem[] };

const GROUP_NAME = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,63}$/;

/**
 * Builds a workspace's policy set and validates it: Behalf's own policies, the label catalogue's
 * readers/stewards and the `admins:` groups compiled to permits, and the workspace's own `*.cedar`
 * files, validated together (Cedar strict mode) against the schema generated for the workspace.
 * Every problem is reported with its file and line (or the key of `behalf.yaml`), including a
 * policy comparing `resource.kind` with a label the catalogue does not declare (a typo there
 * would silently never match).
 */
export async function checkWorkspacePolicies(options: WorkspacePolicyOptions): Promise<WorkspacePolicyCheck> {
  const configFile = options.configFile ?? 'behalf.yaml';
  const lineOfKey = (path: readonly (string | number)[]) => options.locate?.(path) ?? 0;
  const problems: PolicyFileProblem[] = [];
  const sources: Record<string, PolicySource> = {};

  // The catalogue and admins of behalf.yaml.
  const catalogueProblems = findCatalogueProblems(options.labels);
  for (const problem of catalogueProblems) {
    problems.push({
      file: configFile,
      line: lineOfKey(problem.path),
      path: dotted(problem.path),
      message: problem.message,
    });
  }
  const admins = options.admins ?? [];
  admins.forEach((group, index) => {
    if (!GROUP_NAME.test(group)) {
      problems.push({
        file: configFile,
        line: lineOfKey(['admins', index]),
        path: `admins[${index}]`,
        message: `"${group}" is not a group name`,
      });
    }
  });
  const catalogue = catalogueProblems.length === 0 ? LabelCatalogue.fromSpecs(options.labels) : LabelCatalogue.empty();

  // Behalf's own policies.
  const productDir = options.productDir ?? PRODUCT_POLICY_DIR;
  const product = await readPolicyFiles(productDir, { display: (name) => shown(join(productDir, name)) });
  problems.push(...product.problems);
  const locations = new Map<string, PolicyLocation>(product.locations);
  const taken = new Map<string, string>();
  for (const [id, location] of product.locations) {
    sources[id] = { origin: 'product', file: location.file, line: lineAt(location.fileText, location.start) };
    taken.set(id, `${location.file}:${sources[id].line}`);
  }

  // The catalogue and admins as permits.
  const compiled: Record<string, CompiledPolicy> = {
    ...compileLabelCatalogue(catalogue),
    ...compileAdmins(admins.filter((group) => GROUP_NAME.test(group))),
  };
  const policies: Record<string, string> = { ...product.policies };
  for (const [id, policy] of Object.entries(compiled)) {
    const key = dotted(policy.from);
    const line = lineOfKey(policy.from);
    if (taken.has(id)) {
      problems.push({
        file: configFile,
        line,
        path: key,
        policyId: id,
        message: `generates @id("${id}"), already used in ${taken.get(id)}`,
      });
      continue;
    }
    policies[id] = policy.text;
    sources[id] = { origin: 'catalogue', file: configFile, line, key };
    taken.set(id, `${configFile} ${key} (generated from the label catalogue or admins)`);
  }

  // The workspace's own files.
  if (options.policiesDir !== undefined) {
    const dir = options.policiesDir;
    const workspace = await readPolicyFiles(dir, { display: (name) => shown(join(dir, name)), taken });
    problems.push(...workspace.problems);
    for (const [id, location] of workspace.locations) {
      policies[id] = workspace.policies[id] as string;
      locations.set(id, location);
      sources[id] = { origin: 'workspace', file: location.file, line: lineAt(location.fileText, location.start) };
    }
    if (catalogueProblems.length === 0) {
      for (const id of workspace.locations.keys()) {
        problems.push(...unknownKinds(id, workspace.policies[id] as string, catalogue, workspace.locations.get(id)));
      }
    }
  }

  const schema = workspaceSchema(options.schema ?? (await readDefaultSchema()), catalogue);
  // Validating a set that lacks the catalogue's permits or has unreadable files would report
  // problems that are only echoes of the ones above.
  if (problems.length > 0) return { ok: false, problems };

  const schemaProblems = checkSchema(schema);
  if (schemaProblems.length > 0) {
    return {
      ok: false,
      problems: schemaProblems.map((problem) => ({ file: 'schema', line: 0, message: problem.message })),
    };
  }
  const checked = checkPolicySet(policies, schema);
  if ('problems' in checked) {
    return {
      ok: false,
      problems: checked.problems.map((problem): PolicyFileProblem => {
        const source = problem.policyId === undefined ? undefined : sources[problem.policyId];
        if (!source || problem.policyId === undefined) return { file: 'policies', line: 0, message: problem.message };
        const location = locations.get(problem.policyId);
        const line =
          location && problem.offset !== undefined
            ? lineAt(location.fileText, location.start + problem.offset)
            : source.line;
        return {
          file: source.file,
          line,
          ...(source.key ? { path: source.key } : {}),
          policyId: problem.policyId,
          message: `policy "${problem.policyId}": ${problem.message}`,
        };
      }),
    };
  }
  return { ok: true, set: { policies, catalogue, schema, sources } };
}

/**
 * {@link checkWorkspacePolicies}, throwing `AppError('policy_invalid')` (with `data.problems`)
 * when the set does not validate: a workspace whose policies do not validate does not start.
 */
export async function loadWorkspacePolicySet(options: WorkspacePolicyOptions): Promise<WorkspacePolicySet> {
  const checked = await checkWorkspacePolicies(options);
  if (checked.ok) return checked.set;
  throw new AppError('policy_invalid', `Invalid policies: ${checked.problems.map(formatPolicyProblem).join('; ')}`, {
    problems: checked.problems.map((problem) => ({ ...problem })),
  });
}

/**
 * The schema a workspace's policies are validated against: Behalf's schema, headed by what the
 * workspace adds to it (the label kinds its catalogue declares, which `resource.kind` takes and
 * which {@link checkWorkspacePolicies} holds policies to).
 */
export function workspaceSchema(base: string, catalogue: LabelCatalogue): string {
  const kinds = catalogue.kinds().map((kind) => JSON.stringify(kind));
  return `// Generated for this workspace from Behalf's schema. A Label's \`kind\` is one of:\n//   ${kinds.join(', ')}\n\n${base}`;
}

/** The policy options of a loaded workspace (`loadWorkspace`): its catalogue, admins and policies folder. */
export function workspacePolicyOptions(workspace: {
  dir: string;
  file?: string;
  config: Pick<WorkspaceConfig, 'labels' | 'admins' | 'policies'>;
}): WorkspacePolicyOptions {
  const { config } = workspace;
  return {
    labels: config.labels,
    admins: config.admins,
    ...(config.policies !== undefined ? { policiesDir: resolve(workspace.dir, config.policies) } : {}),
    ...(workspace.file ? { configFile: shown(workspace.file) } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// The default workspace, until the served workspace is wired through `buildEngine`.

/** The workspace package.json names under `behalf.defaultWorkspace` (what `npm start` serves). */
export function defaultWorkspaceDir(): string {
  const packageJson = fileURLToPath(new URL('../../package.json', import.meta.url));
  const manifest = JSON.parse(readFileSync(packageJson, 'utf8')) as { behalf?: { defaultWorkspace?: string } };
  const configured = manifest.behalf?.defaultWorkspace;
  if (!configured) throw new AppError('policy_invalid', 'package.json names no behalf.defaultWorkspace');
  return resolve(dirname(packageJson), configured);
}

/**
 * The policy options of a workspace directory read from its `behalf.yaml` directly: only the
 * `labels`, `admins` and `policies` keys, checked for shape here (the catalogue checks the rest).
 * The full loader is `loadWorkspace`; this one serves the policy domain's default.
 */
export async function readWorkspacePolicyOptions(dir: string): Promise<WorkspacePolicyOptions> {
  const file = join(dir, 'behalf.yaml');
  const text = await readFile(file, 'utf8').catch((error: unknown) => {
    throw new AppError('policy_invalid', `${shown(file)} cannot be read`, undefined, { cause: error });
  });
  const config = (parseDocument(text).toJS() ?? {}) as Record<string, unknown>;
  const strings = (value: unknown): value is string[] =>
    Array.isArray(value) && value.every((item) => typeof item === 'string');
  const labels = config.labels ?? [];
  const admins = config.admins ?? [];
  const wellFormed =
    Array.isArray(labels) &&
    labels.every((label: Partial<Record<keyof LabelSpec, unknown>>) => {
      if (typeof label !== 'object' || label === null || typeof label.id !== 'string') return false;
      if (label.description !== undefined && typeof label.description !== 'string') return false;
      return [label.readers, label.stewards].every((list) => list === undefined || strings(list));
    }) &&
    strings(admins) &&
    (config.policies === undefined || typeof config.policies === 'string');
  if (!wellFormed) throw new AppError('policy_invalid', `${shown(file)}: labels, admins or policies are malformed`);
  return {
    ...workspacePolicyOptions({
      dir,
      file,
      config: {
        labels: labels as LabelSpec[],
        admins: admins as string[],
        policies: config.policies as string | undefined,
      },
    }),
    locate: yamlKeyLocator(text),
  };
}

/** The line of a key path in a YAML text (its deepest existing node), for problems of `behalf.yaml`. */
export function yamlKeyLocator(text: string): (path: readonly (string | number)[]) => number {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter });
  return (path) => {
    for (let length = path.length; length >= 0; length -= 1) {
      const node = length === 0 ? document.contents : document.getIn(path.slice(0, length) as unknown[], true);
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return 0;
  };
}

/** The policy set of the default workspace ({@link defaultWorkspaceDir}). */
export async function loadDefaultWorkspacePolicySet(): Promise<WorkspacePolicySet> {
  return loadWorkspacePolicySet(await readWorkspacePolicyOptions(defaultWorkspaceDir()));
}

/** The label catalogue of the default workspace. */
export async function loadDefaultLabelCatalogue(): Promise<LabelCatalogue> {
  return LabelCatalogue.fromSpecs((await readWorkspacePolicyOptions(defaultWorkspaceDir())).labels);
}

// ---------------------------------------------------------------------------------------------

/** Problems of a policy that compares `….kind` with a string that is no label kind of the workspace. */
function unknownKinds(
  id: string,
  text: string,
  catalogue: LabelCatalogue,
  location: PolicyLocation | undefined,
): PolicyFileProblem[] {
  const parsed = policyToJson(text);
  if (parsed.type === 'failure' || !location) return [];
  const kinds = new Set(catalogue.kinds());
  const compared = new Set<string>();
  collectKindComparisons(parsed.json, compared);
  return [...compared]
    .filter((kind) => !kinds.has(kind))
    .map((kind) => {
      const offset = text.indexOf(JSON.stringify(kind));
      return {
        file: location.file,
        line: lineAt(location.fileText, location.start + Math.max(offset, 0)),
        policyId: id,
        message: `policy "${id}": compares a label's kind with "${kind}", which is not in the label catalogue (kinds: ${[...kinds].join(', ')})`,
      };
    });
}

/** Strings compared (`==`, `!=`, `[…].contains`) with a `.kind` attribute, anywhere in a policy's JSON. */
function collectKindComparisons(node: unknown, out: Set<string>): void {
  if (Array.isArray(node)) {
    for (const item of node) collectKindComparisons(item, out);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const record = node as Record<string, unknown>;
  for (const operator of ['==', '!=']) {
    const operands = record[operator] as { left?: unknown; right?: unknown } | undefined;
    if (operands && typeof operands === 'object') {
      if (isKindAccess(operands.left)) addString(operands.right, out);
      if (isKindAccess(operands.right)) addString(operands.left, out);
    }
  }
  const contains = record.contains as { left?: unknown; right?: unknown } | undefined;
  if (contains && typeof contains === 'object' && isKindAccess(contains.right)) {
    const set = (contains.left as { Set?: unknown[] } | undefined)?.Set;
    for (const item of set ?? []) addString(item, out);
  }
  for (const value of Object.values(record)) collectKindComparisons(value, out);
}

function isKindAccess(node: unknown): boolean {
  const access = (node as { '.'?: { attr?: unknown } } | undefined)?.['.'];
  return typeof access === 'object' && access !== null && access.attr === 'kind';
}

function addString(node: unknown, out: Set<string>): void {
  const value = (node as { Value?: unknown } | undefined)?.Value;
  if (typeof value === 'string') out.add(value);
}

/** A path as people read it: relative to the working directory when inside it. */
function shown(path: string): string {
  const relativePath = relative(process.cwd(), path);
  return relativePath && !relativePath.startsWith('..') ? relativePath : path;
}
