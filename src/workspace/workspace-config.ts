import { z } from 'zod';

/**
 * The shape of `behalf.yaml` (SPEC §12): one workspace's people, label catalogue, SQL sources,
 * documents, policies, MCP tools and seed. This zod schema is the single definition: the loader
 * validates with it and `schema/behalf.schema.json` (what an editor completes against) is
 * generated from it, so the two cannot drift (a test compares them).
 */

const ID = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$/;
const GROUP = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,63}$/;
/** A label id, or a parameterized one (`ward:{ward}`) whose `{param}` parts come from data. */
const LABEL_PATTERN = /^[a-z0-9][a-z0-9._-]*(:([a-z0-9._-]+|\{[a-z_][a-z0-9_]*\}))*$/;
const SOURCE_NAME = /^[a-z][a-z0-9_]{0,31}$/;
const TABLE = /^([a-z_][a-z0-9_$]*\.)?[a-z_][a-z0-9_$]*$/;
const SETTING = /^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_.]*$/;

const personId = z.string().regex(ID, 'letters, digits, . _ @ - (at most 128), starting with a letter or digit');
const groupName = z.string().regex(GROUP, 'a group name: letters, digits, . _ : @ -');
const labelId = z
  .string()
  .regex(LABEL_PATTERN, 'a lower-case label id such as `patient-record`, `ward:3` or `ward:{ward}`');

/**
 * Who a label clears or who may declassify it: group names, `user:<id>` for one person,
 * `everyone`. A `{param}` inside takes the value of the label's parameter (`ward-{ward}`).
 */
const audienceEntry = z
  .string()
  .regex(
    /^(everyone|user:[A-Za-z0-9][A-Za-z0-9._@{}-]*|[A-Za-z0-9{][A-Za-z0-9._:@{}-]*)$/,
    'a group, `user:<id>` or `everyone`',
  );

export const PersonSchema = z
  .object({
    id: personId.describe('Stable id; what audit records and OIDC `sub` mapping use'),
    name: z.string().min(1).max(200),
    email: z.email().optional(),
    title: z.string().max(200).optional(),
    groups: z.array(groupName).max(64).default([]),
    manager: personId.optional().describe('Id of their manager, if any'),
    attributes: z
      .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.union([z.string(), z.number(), z.boolean()]))
      .default({})
      .describe('Extra facts templated into source claims: `{{user.attributes.<name>}}`'),
  })
  .strict();

export const LabelSpecSchema = z
  .object({
    id: labelId,
    description: z.string().max(500).optional(),
    readers: z.array(audienceEntry).max(64).optional().describe('Who is cleared to read data with this label'),
    stewards: z
      .array(audienceEntry)
      .max(64)
      .optional()
      .describe('Who may declassify (share to the thread) data with this label'),
  })
  .strict();

/** `{{user.id}}`, `{{user.email}}`, `{{user.groups}}`, `{{user.attributes.x}}`, `{{user.claims.x}}`. */
const template = z.string().max(1000);

const PostgrestIdentitySchema = z
  .object({
    convention: z.literal('postgrest'),
    role: z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/)
      .describe('Role every statement runs as (`SET LOCAL ROLE`), e.g. `authenticated`'),
    claims: z
      .record(z.string().min(1).max(100), z.union([template, z.array(template), z.number(), z.boolean()]))
      .describe('request.jwt.claims, templated from the person'),
  })
  .strict();

const SettingsIdentitySchema = z
  .object({
    convention: z.literal('settings'),
    role: z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/)
      .describe('Role every statement runs as (`SET LOCAL ROLE`); must not own the tables or bypass RLS'),
    settings: z
      .record(z.string().regex(SETTING, 'a custom setting name such as `app.user_id`'), template)
      .describe('Transaction-local settings (`SET LOCAL name = value`) your RLS policies read'),
  })
  .strict();

export const TableSpecSchema = z
  .object({
    labels: z
      .array(labelId)
      .min(1)
      .max(16)
      .describe('Labels of every row; `{column}` parameters take the row value (`ward:{ward}`)'),
    columns: z
      .record(z.string().regex(/^[a-z_][a-z0-9_$]*$/), z.array(labelId).min(1).max(16))
      .optional()
      .describe('Extra labels of a result that reads these columns'),
    description: z.string().max(500).optional(),
  })
  .strict();

/** One argument of a source action: what the model passes, validated before the statement runs. */
export const ActionParameterSchema = z
  .object({
    type: z.enum(['string', 'integer', 'number', 'boolean']).default('string'),
    description: z.string().max(500).optional(),
    enum: z.array(z.string().min(1).max(200)).min(1).max(100).optional().describe('The values it may take'),
    maxLength: z.number().int().min(1).max(100_000).optional().describe('For strings; default 10000'),
    pattern: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .describe('For strings: a regular expression the value must match, such as `\\S` for "not blank"'),
    optional: z.boolean().default(false).describe('May be left out (it is NULL then)'),
  })
  .strict();

/**
 * A write the agent may make on a source, as the requester: one statement with `:name`
 * placeholders for its arguments, run in a read-write transaction as `writeRole` with the same
 * identity settings as queries, so the source's own RLS (`WITH CHECK`) decides. Policy makes
 * every agent-initiated write wait for the requester's approval.
 */
export const SourceActionSchema = z
  .object({
    name: z
      .string()
      .regex(/^[a-z][a-z0-9_]{0,39}$/)
      .describe('The tool name the agent calls, such as `create_ticket`'),
    description: z.string().min(1).max(1000).describe('What it does, for the model and the approval prompt'),
    input: z
      .record(z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/), ActionParameterSchema)
      .default({})
      .describe('Its arguments by name; each `:name` of the statement must be one'),
    sql: z
      .string()
      .min(1)
      .max(10_000)
      .describe('One INSERT, UPDATE or DELETE with `:name` placeholders; a RETURNING clause becomes the result'),
    labels: z
      .array(labelId)
      .min(1)
      .max(16)
      .describe('Labels of what it returns; `{column}` parameters take the returned row value'),
  })
  .strict();

export const SourceSpecSchema = z
  .object({
    name: z.string().regex(SOURCE_NAME, 'lower-case letters, digits and _'),
    description: z.string().max(500).optional(),
    url: z
      .string()
      .min(1)
      .describe(
        'postgres://user@host:5432/db, pglite:DIR (relative to the data directory) or pglite:memory; $' +
          '{VAR} and $' +
          '{VAR:-default} expand from the environment',
      ),
    setup: z
      .array(z.string().min(1))
      .optional()
      .describe(
        'SQL files (relative to the workspace) run once: on an embedded pglite source, or through `adminUrl` on PostgreSQL',
      ),
    adminUrl: z
      .string()
      .optional()
      .describe(
        'PostgreSQL: a superuser URL of the same database, used once at open to run `setup` and let the login of `url` ' +
          'switch to `identity.role` and `writeRole`; $' +
          '{VAR} expands, and an empty result means none',
      ),
    identity: z.discriminatedUnion('convention', [PostgrestIdentitySchema, SettingsIdentitySchema]),
    tables: z.record(z.string().regex(TABLE, 'a table: `name` or `schema.name`'), TableSpecSchema).default({}),
    tool: z
      .string()
      .regex(/^[a-z][a-z0-9_]{0,39}$/)
      .optional()
      .describe('Tool name the agent calls; default `sql` for the first source, `sql_<name>` for others'),
    writeRole: z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/)
      .optional()
      .describe('Role the actions run as (`SET LOCAL ROLE`); refused like `role` if superuser or BYPASSRLS'),
    actions: z.array(SourceActionSchema).max(32).optional().describe('Writes the agent may make, as the requester'),
    limits: z
      .object({
        statementTimeoutMs: z.number().int().min(100).max(120_000).optional(),
        costBudget: z.number().positive().optional(),
        maxRows: z.number().int().min(1).max(10_000).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export const DocumentFolderSchema = z
  .object({
    path: z.string().min(1).describe('A folder of Markdown (.md) and text (.txt) files, relative to the workspace'),
    watch: z.boolean().default(true).describe('Re-index on change while serving'),
  })
  .strict();

export const McpToolSchema = z.looseObject({ name: z.string(), url: z.string() });

export const AgentIdentitySpecSchema = z
  .object({
    id: personId,
    name: z.string().min(1).max(200),
    groups: z.array(groupName).max(64).default([]),
    assigners: z.array(groupName).max(64).default([]).describe('Groups whose members may assign it to their thread'),
    provisionedBy: personId,
  })
  .strict();

export const ThreadSeedSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
    title: z.string().min(1).max(200),
    owner: personId,
    members: z.array(personId).min(1),
  })
  .strict();

export const WorkspaceConfigSchema = z
  .object({
    $schema: z.string().optional(),
    name: z.string().min(1).max(200).describe('Shown in the web app and the CLI'),
    description: z.string().max(1000).optional(),
    people: z.array(PersonSchema).default([]),
    admins: z.array(groupName).default([]).describe('Groups that see the administrator page and provision agents'),
    labels: z.array(LabelSpecSchema).default([]),
    sources: z.array(SourceSpecSchema).default([]),
    documents: z.array(DocumentFolderSchema).default([]),
    policies: z.string().optional().describe('A folder of further Cedar policies (*.cedar) and tests'),
    tools: z.array(McpToolSchema).default([]).describe('MCP servers (the BEHALF_MCP_SERVERS shape)'),
    agents: z.array(AgentIdentitySpecSchema).default([]),
    threads: z.array(ThreadSeedSchema).default([]),
  })
  .strict();

export type WorkspaceConfig = z.infer<typeof WorkspaceConfigSchema>;
export type PersonSpec = z.infer<typeof PersonSchema>;
export type LabelSpec = z.infer<typeof LabelSpecSchema>;
export type SourceSpec = z.infer<typeof SourceSpecSchema>;
export type TableSpec = z.infer<typeof TableSpecSchema>;
export type SourceActionSpec = z.infer<typeof SourceActionSchema>;
export type ActionParameterSpec = z.infer<typeof ActionParameterSchema>;
export type SourceIdentitySpec = SourceSpec['identity'];
export type DocumentFolderSpec = z.infer<typeof DocumentFolderSchema>;
export type AgentIdentitySpec = z.infer<typeof AgentIdentitySpecSchema>;
export type ThreadSeedSpec = z.infer<typeof ThreadSeedSchema>;

/** The JSON Schema of `behalf.yaml`, as published in `schema/behalf.schema.json`. */
export function workspaceJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(WorkspaceConfigSchema, { io: 'input', target: 'draft-2020-12' }),
    $id: 'https://behalf.dev/schema/behalf.schema.json',
    title: 'Behalf workspace (behalf.yaml)',
  };
}
