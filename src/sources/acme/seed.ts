import type { SqlExecutor, SqlSetupTarget } from '../types.ts';
import {
  ACME_HARDENING_SQL,
  ACME_POLICY_COMMENTS_SQL,
  ACME_SCHEMA_SQL,
  ACME_SCHEMA_VERSION,
  ACME_UPGRADES,
} from './schema.ts';
import { ACME_COMPENSATION, ACME_DEALS, ACME_EMPLOYEES, ACME_INCIDENTS, ACME_TICKETS } from './seed-data.ts';

/** Quotes a trusted seed value as a SQL literal (standard_conforming_strings is on). */
function literal(value: string | number | null): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') return String(value);
  return `'${value.replaceAll("'", "''")}'`;
}

function values(rows: readonly (readonly (string | number | null)[])[]): string {
  return rows.map((row) => `(${row.map(literal).join(', ')})`).join(',\n  ');
}

/** The seed rows as INSERT statements. */
export function acmeSeedSql(): string {
  const compensation = ACME_EMPLOYEES.map((employee) => {
    const pay = ACME_COMPENSATION[employee.id];
    if (!pay) throw new Error(`no compensation for ${employee.id}`);
    return [employee.id, pay.salary, pay.bonus];
  });
  return `
INSERT INTO employees (id, name, title, department, manager_id, location) VALUES
  ${values(ACME_EMPLOYEES.map((e) => [e.id, e.name, e.title, e.department, e.managerId, e.location]))};
INSERT INTO compensation (employee_id, salary, bonus) VALUES
  ${values(compensation)};
INSERT INTO deals (id, account, region, amount, stage, owner_id) VALUES
  ${values(ACME_DEALS.map((d) => [d.id, d.account, d.region, d.amount, d.stage, d.ownerId]))};
INSERT INTO incidents (id, title, severity, service, status, opened_at) VALUES
  ${values(ACME_INCIDENTS.map((i) => [i.id, i.title, i.severity, i.service, i.status, i.openedAt]))};
INSERT INTO tickets (title, body, severity, reporter_id, created_at) VALUES
  ${values(ACME_TICKETS.map((t) => [t.title, t.body, t.severity, t.reporterId, t.createdAt]))};
`;
}

/**
 * Key of the advisory lock held while installing or upgrading, in the two-integer form
 * (`pg_advisory_xact_lock(namespace, key)`): "BHLF", "ACME". Advisory locks are per database.
 */
export const ACME_INSTALL_LOCK = [0x42484c46, 0x41434d45] as const;

/** What `loadAcme` did. */
export type AcmeLoadOutcome = 'present' | 'installed' | 'upgraded';

/**
 * Creates and seeds Acme unless this database already holds it (a version row), upgrades an
 * older version (`ACME_UPGRADES`), and refuses a newer or unknown one rather than guessing.
 * Everything happens in one transaction under an advisory lock, so a crash mid-load leaves
 * nothing half-made and two processes starting at once load it once: the second waits, then
 * finds the version row. A database already at this version is only read (no lock, no write),
 * so a login role that could not install Acme can still open it.
 */
export async function loadAcme(target: SqlSetupTarget): Promise<AcmeLoadOutcome> {
  if ((await storedVersion(target)) === ACME_SCHEMA_VERSION) return 'present';
  let outcome: AcmeLoadOutcome;
  await target.exec('BEGIN');
  try {
    await target.query('SELECT pg_advisory_xact_lock($1, $2)', [...ACME_INSTALL_LOCK]);
    const version = await storedVersion(target);
    if (version === undefined) {
      await assertNoOtherTables(target);
      await target.exec(`${ACME_SCHEMA_SQL}
${ACME_POLICY_COMMENTS_SQL}
${ACME_HARDENING_SQL}
${acmeSeedSql()}
INSERT INTO acme_private.schema_version (version) VALUES (${ACME_SCHEMA_VERSION});`);
      outcome = 'installed';
    } else if (version === ACME_SCHEMA_VERSION) {
      outcome = 'present';
    } else {
      await target.exec(upgradeScript(version));
      outcome = 'upgraded';
    }
    await target.exec('COMMIT');
  } catch (error) {
    await target.exec('ROLLBACK').catch(() => undefined);
    throw error;
  }
  // Statistics for the planner (and for the pg_stats leak tests: they must exist to be hidden).
  if (outcome === 'installed') await target.exec('ANALYZE employees, compensation, deals, incidents, tickets;');
  return outcome;
}

/** The stored version, or undefined when Acme is not installed. Reads the catalog first. */
async function storedVersion(target: SqlExecutor): Promise<number | undefined> {
  const present = await target.query<{ present: boolean }>(
    `SELECT EXISTS (
       SELECT FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'acme_private' AND c.relname = 'schema_version'
     ) AS present`,
  );
  if (!present.rows[0]?.present) return undefined;
  const stored = await target.query<{ version: number }>('SELECT version FROM acme_private.schema_version');
  return stored.rows[0]?.version ?? 0;
}

/**
 * Acme wants a database of its own: its hardening revokes privileges database-wide (the public
 * schema, `set_config`, advisory locks), which would break another application's tables there,
 * such as Behalf's own store connecting as a non-superuser.
 */
async function assertNoOtherTables(target: SqlExecutor): Promise<void> {
  const { rows } = await target.query<{ name: string }>(
    `SELECT n.nspname || '.' || c.relname AS name
     FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'p', 'v', 'm') AND n.nspname <> 'information_schema' AND n.nspname !~ '^pg_'
     ORDER BY 1 LIMIT 5`,
  );
  if (rows.length > 0) {
    const names = rows.map((row) => row.name).join(', ');
    throw new Error(`Acme needs a database of its own, and this one already holds tables (${names})`);
  }
}

function upgradeScript(from: number): string {
  const steps: string[] = [];
  for (let version = from; version < ACME_SCHEMA_VERSION; version += 1) {
    const step = ACME_UPGRADES[version];
    if (step === undefined) break;
    steps.push(step);
  }
  if (from > ACME_SCHEMA_VERSION || steps.length !== ACME_SCHEMA_VERSION - from) {
    throw new Error(
      `Acme data has schema version ${from}, expected ${ACME_SCHEMA_VERSION}: recreate the database (PGlite: remove its data directory)`,
    );
  }
  return `${steps.join('\n')}\nUPDATE acme_private.schema_version SET version = ${ACME_SCHEMA_VERSION};`;
}
