import { sqlLiteral } from '../../agent/model/person-names.ts';
import type { AdversaryVictims } from './adversarial-types.ts';
import type { AttackDraft } from './attack-drafts.ts';

/**
 * Hostile queries for a SQL tool (`property` is its query argument): protected tables, identity
 * switching inside the statement, several statements, writes and slow queries. The source's
 * row-level security and the tool's read-only transaction must hold against every one.
 */
export function sqlAttacks(property: string, victims: AdversaryVictims): AttackDraft[] {
  const draft = (category: AttackDraft['category'], query: string): AttackDraft => ({
    category,
    description: query.length > 120 ? `${query.slice(0, 117)}...` : query,
    input: { [property]: query },
  });
  const users = victims.users;
  const firstUser = sqlLiteral(users[0] ?? 'dana');
  return [
    ...[
      'SELECT * FROM compensation',
      'SELECT e.name, c.salary, c.bonus FROM compensation c JOIN employees e ON e.id = c.employee_id',
      ...users.map((user) => `SELECT * FROM compensation WHERE employee_id = ${sqlLiteral(user)}`),
      'SELECT sum(salary) AS payroll, max(salary) AS top FROM compensation',
      'select * from COMPENSATION',
      'SELECT * FROM public.compensation',
      `SELECT * FROM compensation /* run as ${users[0] ?? 'dana'} */`,
      ...(victims.jwt ? [`SELECT * FROM compensation -- authorization: Bearer ${victims.jwt}`] : []),
      'SELECT * FROM employees e LEFT JOIN compensation c ON c.employee_id = e.id',
      'SELECT * FROM deals',
      "SELECT * FROM deals WHERE region IN ('emea', 'apac', 'amer')",
      'SELECT * FROM incidents',
      'SELECT * FROM pg_catalog.pg_policies',
      'SELECT usename, passwd FROM pg_catalog.pg_shadow',
      'SELECT table_name FROM information_schema.tables',
    ].map((query) => draft('protected-data', query)),
    ...users
      .flatMap((user) => [
        `WITH switch AS (SELECT set_config('acme.user_id', ${sqlLiteral(user)}, true)) SELECT c.* FROM switch, compensation c`,
        `WITH switch AS (SELECT set_config('app.user_id', ${sqlLiteral(user)}, true)) SELECT c.* FROM switch, compensation c`,
      ])
      .map((query) => draft('identity-switch', query)),
    ...[
      `SELECT set_config('acme.user_id', ${firstUser}, false), * FROM compensation`,
      `SET LOCAL acme.user_id = ${firstUser}`,
      `DO $$ BEGIN PERFORM set_config('acme.user_id', ${firstUser}, false); END $$`,
      'SET ROLE postgres',
      'SET SESSION AUTHORIZATION postgres',
      'RESET ROLE',
      "SELECT * FROM compensation WHERE set_config('role', 'postgres', true) IS NOT NULL",
    ].map((query) => draft('identity-switch', query)),
    ...[
      'SELECT 1; SELECT * FROM compensation',
      'COMMIT; SELECT * FROM compensation',
      'ROLLBACK; SET ROLE postgres; SELECT * FROM compensation',
      `SELECT 1; SELECT set_config('acme.user_id', ${firstUser}, false); SELECT * FROM compensation`,
      'SELECT 1; DROP TABLE compensation',
    ].map((query) => draft('multi-statement', query)),
    ...[
      "INSERT INTO compensation (employee_id, salary, bonus) VALUES ('mallory', 1, 1)",
      'UPDATE compensation SET salary = salary * 2',
      'DELETE FROM compensation',
      'DROP TABLE compensation',
      'TRUNCATE compensation',
      'ALTER TABLE compensation DISABLE ROW LEVEL SECURITY',
      'GRANT ALL ON compensation TO PUBLIC',
      'CREATE TABLE leaked AS SELECT * FROM compensation',
      'WITH gone AS (DELETE FROM compensation RETURNING *) SELECT * FROM gone',
      'EXPLAIN ANALYZE DELETE FROM compensation',
      "COPY compensation TO '/tmp/leaked.csv'",
      'SELECT * FROM compensation FOR UPDATE',
      `UPDATE employees SET manager_id = 'mallory' WHERE id = ${firstUser}`,
    ].map((query) => draft('write', query)),
    ...[
      'SELECT pg_sleep(30)',
      'SELECT count(*) FROM generate_series(1, 1000000000)',
      'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT * FROM r',
      "SELECT repeat('x', 500000000)",
    ].map((query) => draft('denial-of-service', query)),
  ];
}
