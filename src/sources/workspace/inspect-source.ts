import type { SqlExecutor } from '../types.ts';
import { ESCAPING_FUNCTIONS, SET_CONFIG, workspaceHardeningSql } from './hardening.ts';
import { columnsNamed, qualifiedTableName, type TablesSpec, tableKey } from './source-tables.ts';

/**
 * One problem with a workspace source, with what to do about it (the shape of `behalf doctor`'s
 * findings). `error`: the source is refused (model-written SQL would not run as the person, or
 * could bypass their row-level security); `warning`: it opens, but is probably not what the
 * administrator meant.
 */
export interface SourceFinding {
  severity: 'error' | 'warning';
  /** `sources`, or `people` for someone whose identity cannot be filled. */
  area: 'sources' | 'people';
  /** The source's name in behalf.yaml. */
  source: string;
  message: string;
  /** What to change, concretely: a statement to run, a key of behalf.yaml. */
  fix: string;
}

/** What `findSourceProblems` checks a database against. */
export interface SourceInspection {
  /** The source's name, for messages. */
  name: string;
  /**
   * `pglite`: Behalf's own embedded database, where the login is necessarily the embedded
   * superuser; `postgres`: a server Behalf does not own, where the login must not be one.
   */
  engine: 'pglite' | 'postgres';
  /** The role model-written statements run as. */
  role: string;
  tables: TablesSpec;
}

type LoginRow = {
  login: string;
  login_super: boolean;
  login_bypass: boolean;
  role_exists: boolean;
  role_super: boolean | null;
  role_bypass: boolean | null;
  switchable: boolean;
  login_sets: boolean;
  role_sets: boolean;
};

type TableRow = {
  name: string;
  present: boolean;
  relkind: string | null;
  rls: boolean | null;
  forced: boolean | null;
  owner: string | null;
  owner_privileged: boolean | null;
  readable: boolean | null;
  columns: string[] | null;
  readable_columns: string[] | null;
};

const SYSTEM_SCHEMAS = ['pg_catalog', 'information_schema', 'pg_toast', 'behalf_setup'];
const LISTED_AT_MOST = 20;

function list(names: readonly string[]): string {
  const shown = names.slice(0, LISTED_AT_MOST).join(', ');
  return names.length > LISTED_AT_MOST ? `${shown} and ${names.length - LISTED_AT_MOST} more` : shown;
}

/**
 * Checks, from the catalogs and as the source's own login (outside any query role), what a
 * database Behalf does not own must satisfy before model-written SQL runs in it as someone:
 *
 * errors (the source is refused): a superuser or BYPASSRLS login (PostgreSQL only; PGlite has
 * no other), a query role that is missing, superuser, BYPASSRLS, the login itself, one the login
 * cannot switch to, or one with the privileges of the owner of a labelled table that does not
 * force row-level security (owners bypass it); a login that cannot call `set_config`.
 *
 * warnings: a query role that may call `set_config` or run SQL text (`query_to_xml`...) — the
 * plan check refuses direct calls, revoking is the guarantee; labelled tables that are missing,
 * views (label their tables), unreadable by the role, without row-level security or not forcing
 * it; label parameters and labelled columns naming no column; tables the role can read that
 * carry no label (their data is `unclassified`: nobody is cleared); views that run as their
 * owner rather than the person.
 */
export async function findSourceProblems(executor: SqlExecutor, target: SourceInspection): Promise<SourceFinding[]> {
  const findings: SourceFinding[] = [];
  const error = (message: string, fix: string) =>
    findings.push({ severity: 'error', area: 'sources', source: target.name, message, fix });
  const warning = (message: string, fix: string) =>
    findings.push({ severity: 'warning', area: 'sources', source: target.name, message, fix });
  const at = `source ${target.name}`;
  const { role } = target;

  const loginRows = await executor.query<LoginRow>(
    `SELECT session_user::text AS login, l.rolsuper AS login_super, l.rolbypassrls AS login_bypass,
            r.oid IS NOT NULL AS role_exists, r.rolsuper AS role_super, r.rolbypassrls AS role_bypass,
            COALESCE(pg_catalog.pg_has_role(session_user, r.oid, 'MEMBER'), false) AS switchable,
            pg_catalog.has_function_privilege(session_user, 'pg_catalog.set_config(text,text,boolean)', 'EXECUTE')
              AS login_sets,
            COALESCE(pg_catalog.has_function_privilege(r.oid, 'pg_catalog.set_config(text,text,boolean)'::regprocedure,
              'EXECUTE'), false) AS role_sets
       FROM pg_catalog.pg_roles l LEFT JOIN pg_catalog.pg_roles r ON r.rolname = $1
      WHERE l.rolname = session_user`,
    [role],
  );
  const login = loginRows.rows[0];
  if (!login) throw new Error('cannot read the login role from pg_roles');
  if (target.engine === 'postgres' && (login.login_super || login.login_bypass)) {
    error(
      `${at} connects as ${login.login}, which is ${login.login_super ? 'a superuser' : 'BYPASSRLS'}: ` +
        'a statement that escaped its role would read everything',
      `connect as a login of its own without those attributes: CREATE ROLE behalf_agent LOGIN NOINHERIT PASSWORD '…'; ` +
        `GRANT ${role} TO behalf_agent; then use it in the source's url`,
    );
  }
  if (!login.role_exists) {
    error(
      `${at}: role ${role} (identity.role) does not exist`,
      `create it (CREATE ROLE ${role} NOLOGIN) and grant it SELECT on the tables, or correct identity.role`,
    );
  } else {
    if (login.role_super || login.role_bypass) {
      error(
        `${at}: role ${role} is ${login.role_super ? 'a superuser' : 'BYPASSRLS'}, so row-level security would not apply to it`,
        `use a role without those attributes: ALTER ROLE ${role} NOSUPERUSER NOBYPASSRLS, or another identity.role`,
      );
    }
    if (role === login.login) {
      error(
        `${at}: the login ${login.login} is also the query role: queries could change their own identity`,
        `connect as a separate login that may SET ROLE ${role} (GRANT ${role} TO behalf_agent)`,
      );
    } else if (!login.switchable) {
      error(`${at}: the login ${login.login} cannot act as role ${role}`, `GRANT ${role} TO ${login.login}`);
    }
    if (!login.login_sets) {
      error(
        `${at}: the login ${login.login} may not call set_config, so it cannot set the person's identity`,
        `GRANT EXECUTE ON FUNCTION pg_catalog.set_config(text, text, boolean) TO ${login.login}`,
      );
    }
  }

  if (login.role_exists) {
    const escaping = await executor.query<{ name: string }>(
      `SELECT DISTINCT p.proname::text AS name FROM pg_catalog.pg_proc p
        WHERE p.proname = ANY ($1::text[]) AND pg_catalog.has_function_privilege($2, p.oid, 'EXECUTE')
        ORDER BY 1`,
      [ESCAPING_FUNCTIONS, role],
    );
    const names = escaping.rows.map((row) => row.name);
    if (login.role_sets && !names.includes(SET_CONFIG)) names.unshift(SET_CONFIG);
    if (names.length > 0) {
      const logins = [login.login].filter((name) => /^[a-z_][a-z0-9_]{0,62}$/.test(name) && !login.login_super);
      warning(
        `${at}: role ${role} may execute ${list(names)}: ` +
          'Behalf refuses statements that call them, but a function calling them on a query’s behalf would go unseen ' +
          '(set_config rewrites the identity or the role; the others run SQL text whose tables escape labelling)',
        `as a superuser, in this database: ${workspaceHardeningSql(logins).replace(/\s+/g, ' ')}` +
          (names.includes(SET_CONFIG)
            ? ' (grant set_config back to any other login that sets claims, such as authenticator)'
            : ''),
      );
    }
  }

  const declared = Object.entries(target.tables).map(([name, spec]) => ({ name, key: tableKey(name), spec }));
  if (declared.length > 0) {
    const tables = await executor.query<TableRow>(
      `SELECT t.name, c.oid IS NOT NULL AS present, c.relkind::text AS relkind,
              c.relrowsecurity AS rls, c.relforcerowsecurity AS forced,
              pg_catalog.pg_get_userbyid(c.relowner)::text AS owner,
              CASE WHEN c.oid IS NULL OR r.oid IS NULL THEN NULL
                   ELSE pg_catalog.pg_has_role(r.oid, c.relowner, 'USAGE') END AS owner_privileged,
              CASE WHEN c.oid IS NULL OR r.oid IS NULL THEN NULL
                   ELSE pg_catalog.has_table_privilege(r.oid, c.oid, 'SELECT')
                     OR pg_catalog.has_any_column_privilege(r.oid, c.oid, 'SELECT') END AS readable,
              ARRAY(SELECT a.attname::text FROM pg_catalog.pg_attribute a
                     WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum) AS columns,
              ARRAY(SELECT a.attname::text FROM pg_catalog.pg_attribute a
                     WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND r.oid IS NOT NULL
                       AND pg_catalog.has_column_privilege(r.oid, c.oid, a.attnum, 'SELECT')
                     ORDER BY a.attnum) AS readable_columns
         FROM pg_catalog.unnest($1::text[]) AS t(name)
         LEFT JOIN pg_catalog.pg_class c ON c.oid = pg_catalog.to_regclass(t.name)
         LEFT JOIN pg_catalog.pg_roles r ON r.rolname = $2`,
      [declared.map(({ key }) => qualifiedTableName(key)), role],
    );
    for (const { name, key, spec } of declared) {
      const row = tables.rows.find((candidate) => candidate.name === qualifiedTableName(key));
      if (!row?.present) {
        warning(
          `${at}: table ${name} (tables:) does not exist`,
          `create it, or correct or remove tables.${name} in behalf.yaml`,
        );
        continue;
      }
      if (row.relkind === 'v') {
        warning(
          `${at}: ${name} is a view: statements are labelled by the tables they read, so its labels never apply`,
          `label the tables the view reads instead of tables.${name}`,
        );
      }
      if (row.owner_privileged && !row.forced && row.relkind !== 'v') {
        error(
          `${at}: role ${role} has the privileges of ${row.owner}, the owner of ${name}, so row-level security does not apply to it there`,
          `ALTER TABLE ${qualifiedTableName(key)} FORCE ROW LEVEL SECURITY, or use a role that does not own the table (nor is a member of its owner)`,
        );
      }
      if (row.readable === false) {
        warning(
          `${at}: role ${role} may not read ${name}: every query on it fails`,
          `GRANT SELECT ON ${qualifiedTableName(key)} TO ${role}, or remove tables.${name}`,
        );
      }
      if (row.relkind !== 'v' && row.relkind !== 'm' && !row.rls) {
        warning(
          `${at}: ${name} has no row-level security: everyone querying it as ${role} sees every row`,
          `ALTER TABLE ${qualifiedTableName(key)} ENABLE ROW LEVEL SECURITY; ALTER TABLE ${qualifiedTableName(key)} FORCE ROW LEVEL SECURITY; then CREATE POLICY … (or label it for everyone who may see all of it)`,
        );
      } else if (row.relkind !== 'v' && row.relkind !== 'm' && !row.forced) {
        warning(
          `${at}: ${name} enables row-level security without forcing it: its owner ${row.owner} bypasses the policies`,
          `ALTER TABLE ${qualifiedTableName(key)} FORCE ROW LEVEL SECURITY`,
        );
      }
      const existing = new Set(row.columns ?? []);
      const { parameters, labelled } = columnsNamed(spec);
      for (const column of parameters.filter((column) => !existing.has(column))) {
        warning(
          `${at}: a label of ${name} takes {${column}} from a column ${column} that ${name} does not have: its rows are labelled unclassified`,
          `correct the label in tables.${name} (columns: ${list([...existing])})`,
        );
      }
      const readableColumns = new Set(row.readable_columns ?? []);
      if (row.readable) {
        for (const column of parameters.filter((column) => existing.has(column) && !readableColumns.has(column))) {
          warning(
            `${at}: role ${role} may not read ${name}.${column}, which its labels take {${column}} from: every query on ${name} fails`,
            `GRANT SELECT (${column}) ON ${qualifiedTableName(key)} TO ${role}`,
          );
        }
      }
      for (const column of labelled.filter((column) => !existing.has(column))) {
        warning(
          `${at}: tables.${name}.columns names ${column}, which ${name} does not have`,
          `correct tables.${name}.columns (columns: ${list([...existing])})`,
        );
      }
    }
  }

  if (login.role_exists) {
    const readable = await executor.query<{ name: string; relkind: string }>(
      `SELECT CASE WHEN n.nspname = 'public' THEN c.relname::text ELSE n.nspname || '.' || c.relname END AS name,
              c.relkind::text AS relkind
         FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
          AND n.nspname <> ALL ($2::text[]) AND n.nspname NOT LIKE 'pg\\_%'
          AND pg_catalog.has_schema_privilege($1, n.oid, 'USAGE')
          AND (pg_catalog.has_table_privilege($1, c.oid, 'SELECT')
               OR pg_catalog.has_any_column_privilege($1, c.oid, 'SELECT'))
        ORDER BY 1`,
      [role, SYSTEM_SCHEMAS],
    );
    const keys = new Set(declared.map(({ key }) => key));
    const unlabelled = readable.rows.filter((row) => row.relkind !== 'v' && !keys.has(row.name)).map((row) => row.name);
    if (unlabelled.length > 0) {
      warning(
        `${at}: role ${role} can read ${unlabelled.length === 1 ? 'a table' : `${unlabelled.length} tables`} without labels ` +
          `(${list(unlabelled)}): what a query reads there is unclassified, which nobody is cleared to see`,
        `label ${unlabelled.length === 1 ? 'it' : 'them'} under tables: in behalf.yaml (e.g. \`${qualifiedTableName(unlabelled[0] ?? '')}: { labels: [internal] }\`), or REVOKE SELECT … FROM ${role}`,
      );
    }
    const ownerViews = await executor.query<{ name: string; owner: string }>(
      `SELECT CASE WHEN n.nspname = 'public' THEN c.relname::text ELSE n.nspname || '.' || c.relname END AS name,
              pg_catalog.pg_get_userbyid(c.relowner)::text AS owner
         FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'v'
          AND n.nspname <> ALL ($2::text[]) AND n.nspname NOT LIKE 'pg\\_%'
          AND pg_catalog.has_schema_privilege($1, n.oid, 'USAGE')
          AND pg_catalog.has_table_privilege($1, c.oid, 'SELECT')
          AND NOT EXISTS (
            SELECT FROM pg_catalog.unnest(c.reloptions) AS o(option)
            WHERE o.option ~* '^security_invoker=(true|on|yes|1)$'
          )
        ORDER BY 1`,
      [role, SYSTEM_SCHEMAS],
    );
    for (const view of ownerViews.rows) {
      warning(
        `${at}: view ${view.name} reads its tables as its owner ${view.owner}, not as the person: row-level security of ${role} does not apply through it`,
        `ALTER VIEW ${qualifiedTableName(view.name)} SET (security_invoker = on), or REVOKE SELECT ON ${qualifiedTableName(view.name)} FROM ${role}`,
      );
    }
  }
  return findings;
}
