import { z } from 'zod';
import type { ActionParameterSpec, SourceActionSpec } from '../../workspace/workspace-config.ts';
import { type LabelTemplate, parseLabelTemplate, renderLabel } from '../label-templates.ts';
import { UNCLASSIFIED_LABEL } from '../result-labels.ts';
import { SqlQueryError } from '../sql-query-error.ts';
import { runAsWriter } from '../sql-runner.ts';
import type { SourcePerson, SqlDataSource } from '../types.ts';

/** A source action ready to run: its statement with `$n` parameters and its argument schema. */
export interface CompiledAction {
  name: string;
  description: string;
  /** The statement as PostgreSQL receives it: `:name` replaced by `$1`, `$2`, … */
  statement: string;
  /** The argument bound to each `$n`, in order. */
  parameters: readonly string[];
  /** Strict: an argument the action does not declare is refused, so none can name the actor. */
  inputSchema: z.ZodType<Record<string, unknown>>;
  labels: readonly LabelTemplate[];
}

/** What an action returned: the RETURNING rows, and the labels they carry. */
export interface ActionResult {
  rows: Record<string, unknown>[];
  labels: string[];
}

/** Why an action's declaration cannot run, with the key of behalf.yaml it concerns. */
export class ActionSpecError extends Error {
  constructor(
    readonly key: 'sql' | 'input' | 'labels',
    message: string,
  ) {
    super(message);
  }
}

const WRITE_STATEMENT = /^(?:with\b[\s\S]*?\b)?(insert|update|delete)\b/i;

/**
 * Checks and compiles an action's declaration: every `:name` of the statement is a declared
 * argument and every argument is used, the statement is one INSERT, UPDATE or DELETE, and its
 * labels parse. Throws {@link ActionSpecError}.
 */
export function compileAction(spec: SourceActionSpec): CompiledAction {
  const { text, names } = bindPlaceholders(spec.sql);
  const declared = Object.keys(spec.input ?? {});
  const unknown = names.filter((name) => !declared.includes(name));
  if (unknown.length > 0) {
    throw new ActionSpecError(
      'sql',
      `:${unknown[0]} is not one of the action's input (${declared.join(', ') || 'none'})`,
    );
  }
  const unused = declared.filter((name) => !names.includes(name));
  if (unused.length > 0) throw new ActionSpecError('input', `${unused[0]} is declared but the statement never uses it`);
  const trimmed = text.trim().replace(/;\s*$/, '');
  if (!WRITE_STATEMENT.test(stripLeadingComments(trimmed))) {
    throw new ActionSpecError('sql', 'must be one INSERT, UPDATE or DELETE statement');
  }
  let labels: LabelTemplate[];
  try {
    labels = spec.labels.map(parseLabelTemplate);
  } catch (error) {
    throw new ActionSpecError('labels', (error as Error).message);
  }
  const shape: Record<string, z.ZodType> = {};
  for (const [name, parameter] of Object.entries(spec.input ?? {})) {
    try {
      shape[name] = argumentSchema(parameter);
    } catch (error) {
      throw new ActionSpecError('input', `${name}: ${(error as Error).message}`);
    }
  }
  return {
    name: spec.name,
    description: spec.description,
    statement: trimmed,
    parameters: names,
    inputSchema: z.strictObject(shape) as z.ZodType<Record<string, unknown>>,
    labels,
  };
}

/**
 * Runs an action as `person`: its arguments validated, then the statement in a read-write
 * transaction as the source's writer role with the person's identity settings (`runAsWriter`),
 * so the source's RLS checks the write. Labels come from the declaration, rendered per returned
 * row; a per-row label whose column was not returned is `unclassified` (fail closed).
 */
export async function runSourceAction(
  source: SqlDataSource,
  person: SourcePerson,
  action: CompiledAction,
  input: unknown,
): Promise<ActionResult> {
  const parsed = action.inputSchema.safeParse(input ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SqlQueryError(
      'invalid',
      `invalid ${action.name} input: ${issue?.path.join('.') || 'input'}: ${issue?.message}`,
    );
  }
  const values = action.parameters.map((name) => parsed.data[name] ?? null);
  const result = await runAsWriter(source, person, (tx) => tx.query<Record<string, unknown>>(action.statement, values));
  const rows = result.rows.map((row) => ({ ...row }));
  return { rows, labels: labelsOf(action.labels, rows) };
}

function labelsOf(templates: readonly LabelTemplate[], rows: readonly Record<string, unknown>[]): string[] {
  const labels = new Set<string>();
  for (const template of templates) {
    if (template.columns.length === 0) {
      labels.add(template.source);
      continue;
    }
    if (rows.length === 0) labels.add(UNCLASSIFIED_LABEL);
    for (const row of rows) {
      const values = new Map(
        template.columns.map((column) => [
          column,
          row[column] === undefined || row[column] === null ? null : String(row[column]),
        ]),
      );
      labels.add(renderLabel(template, values) ?? UNCLASSIFIED_LABEL);
    }
  }
  return [...labels].sort();
}

function argumentSchema(parameter: ActionParameterSpec): z.ZodType {
  let schema: z.ZodType;
  if (parameter.enum) schema = z.enum(parameter.enum as [string, ...string[]]);
  else if (parameter.type === 'string') {
    const text = z.string().max(parameter.maxLength ?? 10_000);
    // An invalid expression throws here, when the workspace is loaded, never at a call.
    schema = parameter.pattern === undefined ? text : text.regex(new RegExp(parameter.pattern, 'u'));
  } else if (parameter.type === 'integer') schema = z.number().int();
  else if (parameter.type === 'number') schema = z.number();
  else schema = z.boolean();
  if (parameter.description) schema = schema.describe(parameter.description);
  return parameter.optional ? schema.optional() : schema;
}

/**
 * Replaces `:name` placeholders by `$1…$n` (one number per distinct name), leaving alone what is
 * not a placeholder: `::type` casts, string and dollar-quoted literals, quoted identifiers and
 * comments. Hand-rolled: pg's driver binds only `$n`, and the named-parameter libraries are whole
 * drivers of their own; this scanner is the few cases PostgreSQL's lexer has for those.
 */
export function bindPlaceholders(sql: string): { text: string; names: string[] } {
  const names: string[] = [];
  let text = '';
  let index = 0;
  const copyUntil = (end: number) => {
    text += sql.slice(index, end);
    index = end;
  };
  while (index < sql.length) {
    const rest = sql.slice(index);
    const char = sql[index] as string;
    if (char === "'" || char === '"') {
      // A literal or quoted identifier; a doubled quote inside is an escaped one.
      let end = index + 1;
      while (end < sql.length && !(sql[end] === char && sql[end + 1] !== char)) end += sql[end] === char ? 2 : 1;
      copyUntil(Math.min(end + 1, sql.length));
      continue;
    }
    if (rest.startsWith('--')) {
      const end = sql.indexOf('\n', index);
      copyUntil(end === -1 ? sql.length : end);
      continue;
    }
    if (rest.startsWith('/*')) {
      const end = sql.indexOf('*/', index + 2);
      copyUntil(end === -1 ? sql.length : end + 2);
      continue;
    }
    const dollar = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(rest);
    if (dollar) {
      const end = sql.indexOf(dollar[0], index + dollar[0].length);
      copyUntil(end === -1 ? sql.length : end + dollar[0].length);
      continue;
    }
    if (rest.startsWith('::')) {
      copyUntil(index + 2);
      continue;
    }
    const placeholder = /^:([a-z_][a-z0-9_]*)/.exec(rest);
    if (placeholder) {
      const name = placeholder[1] as string;
      if (!names.includes(name)) names.push(name);
      text += `$${names.indexOf(name) + 1}`;
      index += placeholder[0].length;
      continue;
    }
    copyUntil(index + 1);
  }
  return { text, names };
}

function stripLeadingComments(sql: string): string {
  return sql.replace(/^(?:\s+|--[^\n]*\n?|\/\*[\s\S]*?\*\/)*/, '');
}
