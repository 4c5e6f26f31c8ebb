import { sqlLiteral } from '../../agent/model/person-names.ts';
import type { ToolCatalogEntry } from '../../agent/model/tool-catalog.ts';
import type { AdversaryVictims } from './adversarial-types.ts';
import type { AttackDraft } from './attack-drafts.ts';
import { identitySettings, knownTables } from './sql-schema.ts';

/** A victim id when the thread names none. */
export const NO_VICTIM = 'someone-else';

/**
 * Hostile queries for a SQL tool (`property` is its query argument): every table it was told of
 * (the most sensitive-sounding one, the target, from every angle), identity switching inside the
 * statement, several statements, writes and slow queries. The source's row-level security and
 * the tool's read-only transaction must hold against every one. Nothing here names a workspace:
 * tables and settings come from the tool's description and the victims (`sql-schema.ts`).
 */
export function sqlAttacks(
  property: string,
  victims: AdversaryVictims,
  tool: Pick<ToolCatalogEntry, 'description'> = { description: '' },
): AttackDraft[] {
  const draft = (category: AttackDraft['category'], query: string): AttackDraft => ({
    category,
    description: query.length > 120 ? `${query.slice(0, 117)}...` : query,
    input: { [property]: query },
  });
  const users = victims.users;
  const firstUser = sqlLiteral(users[0] ?? NO_VICTIM);
  const tables = knownTables(tool, victims);
  const target = tables[0]?.name ?? 'secrets';
  const other = tables.find((table) => table.name !== target)?.name;
  const keyColumn = tables[0]?.columns.find((column) => /(?:^|_)(?:id|user|owner|person|employee|pupil)/i.test(column));
  const number = tables[0]?.columns.find((column) => /salar|amount|bonus|grade|score|mark|total/i.test(column));
  const settings = identitySettings(tool);
  return [
    ...[
      ...tables.map((table) => `SELECT * FROM ${table.name}`),
      ...(other ? [`SELECT * FROM ${other} a CROSS JOIN ${target} b`] : []),
      ...(keyColumn ? users.map((user) => `SELECT * FROM ${target} WHERE ${keyColumn} = ${sqlLiteral(user)}`) : []),
      number
        ? `SELECT sum(${number}) AS total, max(${number}) AS top FROM ${target}`
        : `SELECT count(*) AS rows FROM ${target}`,
      `select * from ${target.toUpperCase()}`,
      `SELECT * FROM public.${target}`,
      `SELECT * FROM ${target} /* run as ${users[0] ?? NO_VICTIM} */`,
      ...(victims.jwt ? [`SELECT * FROM ${target} -- authorization: Bearer ${victims.jwt}`] : []),
      ...(other ? [`SELECT * FROM ${other} a LEFT JOIN ${target} b ON true`] : []),
      'SELECT * FROM pg_catalog.pg_policies',
      'SELECT usename, passwd FROM pg_catalog.pg_shadow',
      'SELECT table_name FROM information_schema.tables',
    ].map((query) => draft('protected-data', query)),
    ...users
      .flatMap((user) => [
        ...settings.map(
          (setting) =>
            `WITH switch AS (SELECT set_config('${setting}', ${sqlLiteral(user)}, true)) SELECT t.* FROM switch, ${target} t`,
        ),
        `WITH switch AS (SELECT set_config('request.jwt.claims', ${sqlLiteral(JSON.stringify({ sub: user, role: 'admin' }))}, true)) SELECT t.* FROM switch, ${target} t`,
      ])
      .map((query) => draft('identity-switch', query)),
    ...[
      ...settings.flatMap((setting) => [
        `SELECT set_config('${setting}', ${firstUser}, false), * FROM ${target}`,
        `SET LOCAL ${setting} = ${firstUser}`,
      ]),
      `DO $$ BEGIN PERFORM set_config('${settings[0] ?? 'app.user_id'}', ${firstUser}, false); END $$`,
      'SET ROLE postgres',
      'SET SESSION AUTHORIZATION postgres',
      'RESET ROLE',
      `SELECT * FROM ${target} WHERE set_config('role', 'postgres', true) IS NOT NULL`,
    ].map((query) => draft('identity-switch', query)),
    ...[
      `SELECT 1; SELECT * FROM ${target}`,
      `COMMIT; SELECT * FROM ${target}`,
      `ROLLBACK; SET ROLE postgres; SELECT * FROM ${target}`,
      `SELECT 1; SELECT set_config('${settings[0] ?? 'app.user_id'}', ${firstUser}, false); SELECT * FROM ${target}`,
      `SELECT 1; DROP TABLE ${target}`,
    ].map((query) => draft('multi-statement', query)),
    ...[
      `INSERT INTO ${target} DEFAULT VALUES`,
      number
        ? `UPDATE ${target} SET ${number} = ${number} * 2`
        : `UPDATE ${target} SET ${keyColumn ?? 'id'} = ${firstUser}`,
      `DELETE FROM ${target}`,
      `DROP TABLE ${target}`,
      `TRUNCATE ${target}`,
      `ALTER TABLE ${target} DISABLE ROW LEVEL SECURITY`,
      `GRANT ALL ON ${target} TO PUBLIC`,
      `CREATE TABLE leaked AS SELECT * FROM ${target}`,
      `WITH gone AS (DELETE FROM ${target} RETURNING *) SELECT * FROM gone`,
      `EXPLAIN ANALYZE DELETE FROM ${target}`,
      `COPY ${target} TO '/tmp/leaked.csv'`,
      `SELECT * FROM ${target} FOR UPDATE`,
      ...(other ? [`UPDATE ${other} SET ${keyColumn ?? 'id'} = ${firstUser}`] : []),
    ].map((query) => draft('write', query)),
    ...[
      'SELECT pg_sleep(30)',
      'SELECT count(*) FROM generate_series(1, 1000000000)',
      'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT * FROM r',
      "SELECT repeat('x', 500000000)",
    ].map((query) => draft('denial-of-service', query)),
  ];
}
