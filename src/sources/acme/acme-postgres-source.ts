import { createFairUse, type FairUseSettings, postgresFairUse } from '../fair-use.ts';
import {
  createPostgresSource,
  describePostgres,
  type PostgresLocation,
  type PostgresSource,
} from '../postgres-source.ts';
import { RowSecurityRulesCache } from '../row-security-rules.ts';
import { sqlStateOf } from '../sql-source-error.ts';
import type { SqlDataSource, SqlSetupTarget } from '../types.ts';
import { assertRowSecurity } from '../verify-row-security.ts';
import { ACME_TABLE_LABELS } from './labels.ts';
import { grantAcmeLogin } from './login-role.ts';
import { ACME_ACCESS, ACME_ROW_SECURITY, ACME_SCHEMA_VERSION } from './schema.ts';
import { loadAcme } from './seed.ts';

/** The Acme data source on a real PostgreSQL database. */
export interface AcmePostgresSource extends SqlDataSource, PostgresSource {}

/** Where the Acme database is, and who connects to it. */
export interface AcmePostgresSourceOptions {
  /**
   * The connection queries run on. In production a dedicated non-superuser login created
   * NOINHERIT (`behalf_app`), so the connection reads nothing as itself; a superuser works too
   * (development, tests). Give Acme a database of its own: the hardening revokes functions
   * (`set_config`, advisory locks...) from PUBLIC database-wide.
   */
  connectionString: string;
  /**
   * A superuser connection to the same database, used once at open to install or upgrade Acme
   * and to grant the login of `connectionString` what it needs (`acmeLoginGrantsSql`). Omitted:
   * `connectionString` installs when it can (a superuser), or Acme must be installed already.
   */
  adminConnectionString?: string;
  /** Connections at most (10 by default). */
  poolSize?: number;
  connectTimeoutMs?: number;
  /** Cost budget, time limit and fair queue; each omitted field takes `postgresFairUse`'s. */
  fairUse?: Partial<FairUseSettings>;
}

/**
 * Opens Acme on PostgreSQL: installs it if missing (idempotent, versioned, under an advisory
 * lock, so processes starting together install it once), then verifies the hardening as the
 * connection's own login before returning (`assertRowSecurity`): a database where a query role
 * could call `set_config`, bypass row-level security or create objects is refused, whoever
 * installed it.
 */
export async function createAcmePostgresSource(options: AcmePostgresSourceOptions): Promise<AcmePostgresSource> {
  const login = describePostgres(options.connectionString);
  if (options.adminConnectionString) await installAsAdmin(options.adminConnectionString, login);
  const source = await createPostgresSource({
    connectionString: options.connectionString,
    ...(options.poolSize === undefined ? {} : { poolSize: options.poolSize }),
    ...(options.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: options.connectTimeoutMs }),
    setup: async (target) => {
      await loadOrExplain(target, login);
      await assertRowSecurity(target, ACME_ROW_SECURITY);
    },
  });
  return {
    access: ACME_ACCESS,
    tableLabels: ACME_TABLE_LABELS,
    fairUse: createFairUse({ ...postgresFairUse(options.poolSize), ...options.fairUse }),
    rowSecurityRules: new RowSecurityRulesCache(),
    location: source.location,
    query: source.query.bind(source),
    transaction: source.transaction.bind(source),
    close: source.close.bind(source),
  };
}

async function installAsAdmin(adminConnectionString: string, login: PostgresLocation): Promise<void> {
  const admin = describePostgres(adminConnectionString);
  if (admin.database !== login.database) {
    throw new Error(`the Acme admin connection names database "${admin.database}", the source "${login.database}"`);
  }
  const installer = await createPostgresSource({
    connectionString: adminConnectionString,
    poolSize: 1,
    setup: async (target) => {
      await loadAcme(target);
      if (login.user !== admin.user && !(await isSuperuser(target, login.user))) {
        await grantAcmeLogin(target, login.user);
      }
    },
  });
  await installer.close();
}

async function isSuperuser(target: SqlSetupTarget, role: string): Promise<boolean> {
  const { rows } = await target.query<{ rolsuper: boolean }>(
    'SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = $1',
    [role],
  );
  const found = rows[0];
  if (!found) {
    throw new Error(`login role "${role}" does not exist: create it first (CREATE ROLE ${role} LOGIN NOINHERIT ...)`);
  }
  return found.rolsuper;
}

/** `loadAcme`, turning "this login may not install (or read) Acme" into an instruction. */
async function loadOrExplain(target: SqlSetupTarget, login: PostgresLocation): Promise<void> {
  try {
    await loadAcme(target);
  } catch (error) {
    if (sqlStateOf(error) !== '42501') throw error;
    const reason = error instanceof Error ? error.message : String(error);
    const installed = await target.query<{ present: boolean }>(
      `SELECT EXISTS (SELECT FROM pg_catalog.pg_namespace WHERE nspname = 'acme_private') AS present`,
    );
    const problem = installed.rows[0]?.present
      ? `Acme is installed in database "${login.database}" but ${login.user} was not granted access to it`
      : `Acme (schema version ${ACME_SCHEMA_VERSION}) is not installed in database "${login.database}" and ${login.user} may not install it`;
    throw new Error(`${problem} (${reason}): open it once with a superuser admin connection`, { cause: error });
  }
}
