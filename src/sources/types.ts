import type { RowSecurityRule, RowSecurityRulesCache } from './row-security-rules.ts';
/**
 * Ports of the SQL data sources: a thin connection interface that PGlite (embedded demo) and
 * `pg.Pool` (real PostgreSQL) both implement, the principal a query acts for, and what the query
 * runner needs to know about a source (roles, identity settings, labels per table).
 */

/** One result set. `fields` lists the columns in order, even when there are no rows. */
export interface SqlRows<Row> {
  rows: Row[];
  fields: { name: string }[];
}

/** Per-statement options. `array` rows keep duplicate column names apart (`a.id`, `b.id`). */
export interface SqlQueryOptions {
  rowMode?: 'object' | 'array';
}

/** Something that runs one statement at a time: a source, or a transaction on it. */
export interface SqlExecutor {
  /**
   * Runs exactly one statement through the extended protocol (several statements are refused)
   * with `$1`-style parameters. Rejects with an error carrying the SQLSTATE in `code`.
   */
  query<Row = Record<string, unknown>>(
    text: string,
    params?: readonly unknown[],
    options?: SqlQueryOptions,
  ): Promise<SqlRows<Row>>;
}

/** How a transaction starts and ends. */
export interface SqlTransactionOptions {
  /**
   * `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY`, and the transaction always ends with
   * ROLLBACK: every statement sees one snapshot, and nothing (settings included) outlives it.
   */
  readOnly?: boolean;
  /**
   * Hard deadline for the whole transaction. The adapter guarantees the promise settles by then
   * (plus a few milliseconds), rejecting with SQLSTATE `57014`, even when the engine cannot
   * interrupt a running statement by itself. A deadline that strikes during COMMIT leaves the
   * outcome of a read-write transaction unknown; read-only ones have nothing to lose.
   */
  timeoutMs?: number;
}

/**
 * A SQL data source. PGlite is one session, so its statements and transactions are serialized;
 * a PostgreSQL pool runs each transaction on a connection of its own, isolated by the server.
 * Either way a transaction never sees another caller's statements or settings.
 */
export interface SqlSource extends SqlExecutor {
  /**
   * Runs `fn` in one transaction: COMMIT when it resolves (unless read-only), ROLLBACK when it
   * throws. Nothing else runs in that transaction. `tx` is unusable once `fn` settles.
   */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>, options?: SqlTransactionOptions): Promise<T>;
  /** Releases the engine. Embedded engines keep the process alive until this is called. */
  close(): Promise<void>;
}

/**
 * What a source's `setup` (schema, seed) may use: statements, and multi-statement scripts
 * (simple protocol) for trusted schema text only, never model output. One session throughout,
 * so a script may open a transaction that later statements continue.
 */
export interface SqlSetupTarget extends SqlExecutor {
  exec(script: string): Promise<void>;
}

/**
 * Who a query acts for: a human (`alice`), or in self-authorized mode the agent
 * (`agent:<threadId>`) with the thread's configured groups. Built by the tool gateway from the
 * run, never from model output. Structurally compatible with the tool gateway's acting principal.
 */
export interface SqlPrincipal {
  id: string;
  groups: readonly string[];
}

/** A value a person's attribute or OIDC claim may hold. */
export type SourcePersonValue = string | number | boolean | null;

/**
 * The person a query acts for, as an identity convention needs them: the principal plus what
 * claims and settings are templated from (`{{user.email}}`, `{{user.attributes.uid}}`,
 * `{{user.claims.tenant}}`). Built by the tool gateway from the directory (never from model
 * output); a bare `SqlPrincipal` is one too, whose templates other than id and groups cannot be
 * filled (the query is then refused, SqlQueryError `unidentified`).
 */
export interface SourcePerson extends SqlPrincipal {
  name?: string | null;
  email?: string | null;
  /** The person's attributes (`attributes:` in the workspace, SCIM, the directory). */
  attributes?: Readonly<Record<string, SourcePersonValue>>;
  /** Claims of the person's OIDC ID token, when they signed in that way. */
  claims?: Readonly<Record<string, unknown>>;
}

/**
 * The labels a table's rows carry: one for the whole table, one per value of a column, or the
 * general form a workspace declares (several labels, `{column}` parameters, per-column labels).
 */
export type TableLabelRule =
  | { kind: 'static'; label: string }
  /** Each visible row carries `prefix + <value of column>` (deals: `sales-pipeline:emea`). */
  | { kind: 'by-column'; column: string; prefix: string }
  | {
      kind: 'labels';
      /**
       * Labels of every visible row. A `{column}` part takes that row's value of the column
       * (`ward:{ward}` → `ward:3`); a row whose value is NULL carries `unclassified`.
       */
      labels: readonly string[];
      /**
       * Labels a statement carries when its plan reads the column (selects it, filters, joins,
       * sorts or groups on it); `{column}` parts as above.
       */
      columns?: Readonly<Record<string, readonly string[]>>;
    };

/** Label rules keyed by table: the bare name in `public`, `schema.name` elsewhere. */
export type TableLabelRules = Readonly<Record<string, TableLabelRule>>;

/**
 * How the runner acts for a principal on a source: the settings its row-level security policies
 * read, and the non-owner, non-superuser roles statements run as (owners and superusers bypass
 * row-level security). Either the fixed pair of settings (id and comma-separated groups) or an
 * identity convention (`SqlIdentityProfile`).
 */
export type SqlAccessProfile = SqlUserGroupsProfile | SqlIdentityProfile;

/** Identity in two settings: the principal id and its groups (`app.user_id`, `app.groups`). */
export interface SqlUserGroupsProfile {
  /** Transaction-local setting holding the principal id (`app.user_id`). */
  userSetting: string;
  /** Transaction-local setting holding the principal's groups, comma-separated (`app.groups`). */
  groupsSetting: string;
  /** Role for model-written queries: SELECT only. */
  readerRole: string;
  /** Role for the source's write tools (INSERT into specific tables only). */
  writerRole: string;
}

/**
 * Identity by a convention (`postgrest`: `request.jwt.claims` and the legacy
 * `request.jwt.claim.<name>`; `settings`: named values), templated from the person.
 */
export interface SqlIdentityProfile {
  readonly convention: 'postgrest' | 'settings';
  /** Role for model-written queries. */
  readonly readerRole: string;
  /** Role for the source's write tools; absent when the source has none (writes are refused). */
  readonly writerRole?: string;
  /**
   * The transaction-local settings that carry `person`'s identity, in order. Throws
   * `SqlQueryError` `unidentified` when a template cannot be filled for them (fail closed).
   */
  settingsFor(person: SourcePerson): ReadonlyArray<readonly [name: string, value: string]>;
}

/**
 * How one source is shared between the people whose model-written queries it runs (issue 7
 * item 4): a planner-cost budget per statement, a default time limit, and a fair queue in front
 * of its transactions. One per source: the queue's state is the source's.
 */
export interface SqlFairUse {
  /**
   * Statements whose planned cost (PostgreSQL's estimate, see `plannedCost`) exceeds this are
   * refused before they run, with `SqlQueryError` `too_costly`.
   */
  readonly costBudget: number;
  /** The time limit of a model-written statement when its caller sets none, in ms. */
  readonly timeoutMs: number;
  /**
   * Runs `fn` (one query's transaction) in `person`'s turn: per-person queues served round robin,
   * a few running per person at most. Rejects with `SqlQueryError` `busy` when too many of
   * `person`'s queries wait already, or when `signal` aborts before `fn` started.
   */
  schedule<T>(person: string, fn: () => Promise<T>, signal?: AbortSignal): Promise<T>;
}

/** A source the query runner can use on someone's behalf. */
export interface SqlDataSource extends SqlSource {
  readonly access: SqlAccessProfile;
  readonly tableLabels: TableLabelRules;
  /**
   * Fair use between people. Absent (a hand-built source): the runner applies the default cost
   * budget and runs queries unscheduled. Workspace sources always carry one.
   */
  readonly fairUse?: SqlFairUse;
  /**
   * The source's row-security rule descriptions, remembered for a minute (one per source: the
   * same tables on another database may have other rules). Absent: read on every query.
   */
  readonly rowSecurityRules?: RowSecurityRulesCache;
  /**
   * Functions a statement's plan may not call (`set_config`, `query_to_xml`...), refused before
   * it runs with `permission_denied`: on a database Behalf does not own they may still be
   * executable by the query role. Absent: the database's own privileges decide alone.
   */
  readonly deniedFunctions?: readonly string[];
  /** Rows a query returns at most on this source, whatever its caller asks for. */
  readonly maxRows?: number;
}

/**
 * A read-only query's result. Rows are arrays in `columns` order (duplicate column names stay
 * apart), holding JSON-safe values: timestamps as ISO strings, 64-bit integers as numbers when
 * exact and strings otherwise, bytea as `\x` hex.
 */
export interface SqlResult {
  columns: string[];
  rows: unknown[][];
  /** Rows returned (at most `maxRows`). */
  rowCount: number;
  /** True when the query produced more than `maxRows` rows or bytes than the result budget. */
  truncated: boolean;
  /** Tables the statement read, from its plan: `employees`, or `schema.name` outside `public`. */
  tables: string[];
  /**
   * Sensitivity labels of the rows the requester can see in every table read (SPEC §4); a table
   * without a rule yields `unclassified`, which callers treat as failing closed.
   */
  labels: string[];
  /** The labels each table read contributed to `labels` (where a label came from, issue 10 point 2). */
  labelsByTable?: Record<string, string[]>;
  /** The row-level security rules that narrowed what the statement could read (names, not counts). */
  rowSecurity: RowSecurityRule[];
}
