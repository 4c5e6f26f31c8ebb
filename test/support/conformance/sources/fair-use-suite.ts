import { describe, expect, it } from 'vitest';
import { SqlQueryError } from '../../../../src/sources/sql-query-error.ts';
import { runReadOnlyQuery } from '../../../../src/sources/sql-runner.ts';
import { acmePrincipal } from '../../acme-visibility-oracle.ts';
import { type OpenAcme, useAcme } from './acme-fixtures.ts';

/** Rejects unless `promise` fails with a `SqlQueryError`, which it returns. */
async function failure(promise: Promise<unknown>): Promise<SqlQueryError> {
  const error = await promise.catch((caught: unknown) => caught);
  if (!(error instanceof SqlQueryError)) throw new Error(`expected a SqlQueryError, got ${String(error)}`);
  return error;
}

/**
 * Issue 7 item 4: one member cannot starve the others. A statement whose planned cost exceeds the
 * source's budget is refused before it runs, and queries are served round robin per person, on
 * every engine (PGlite one at a time, PostgreSQL a few per person on its pool).
 */
export function describeFairUseSuite(engine: string, open: OpenAcme): void {
  describe(`fair use of the source (${engine})`, () => {
    const acme = useAcme(open);
    const erin = acmePrincipal('erin');
    const carol = acmePrincipal('carol');

    it('has a cost budget and a time limit of its own', () => {
      expect(acme().source.fairUse?.costBudget).toBeGreaterThan(0);
      expect(acme().source.fairUse?.timeoutMs).toBeGreaterThan(0);
    });

    it('refuses a count over 300 million series rows before running it, naming the budget', async () => {
      const started = performance.now();
      const error = await failure(
        runReadOnlyQuery(acme().source, erin, 'SELECT count(*) FROM generate_series(1, 300000000)'),
      );
      expect(error.kind).toBe('too_costly');
      expect(error.message).toContain(`budget of ${acme().source.fairUse?.costBudget}`);
      // Refused at planning time: far below what running it would take (minutes).
      expect(performance.now() - started).toBeLessThan(1500);
    });

    it('charges a function scan in full even under the LIMIT the runner adds', async () => {
      const error = await failure(runReadOnlyQuery(acme().source, erin, 'SELECT * FROM generate_series(1, 300000000)'));
      expect(error.kind).toBe('too_costly');
    });

    it('reports the labels of the tables a refused statement planned to read (the refusal is an outcome)', async () => {
      let reported: string[] | undefined;
      const error = await failure(
        runReadOnlyQuery(
          acme().source,
          erin,
          'SELECT count(*) FROM compensation, generate_series(1, 300000000) AS series',
          {
            onReading: (labels) => {
              reported = labels;
            },
          },
        ),
      );
      expect(error.kind).toBe('too_costly');
      expect(reported).toContain('hr-confidential');
    });

    it('passes the demo’s joins and aggregates under the default budget', async () => {
      for (const sql of [
        'SELECT e.name, c.salary FROM employees e JOIN compensation c ON c.employee_id = e.id',
        'SELECT region, sum(amount), count(*) FROM deals GROUP BY region ORDER BY 2 DESC',
        'SELECT e.department, count(*), avg(c.salary) FROM employees e LEFT JOIN compensation c ON c.employee_id = e.id GROUP BY 1',
        'SELECT d.account, e.name FROM deals d JOIN employees e ON e.id = d.owner_id ORDER BY d.amount DESC',
        'SELECT * FROM employees a, employees b, employees c',
        'SELECT count(*) FROM generate_series(1, 1000)',
      ]) {
        await expect(runReadOnlyQuery(acme().source, erin, sql), sql).resolves.toBeTruthy();
      }
    });

    it('a caller may set a tighter budget (never the model)', async () => {
      const error = await failure(
        runReadOnlyQuery(acme().source, erin, 'SELECT * FROM employees', { costBudget: 0.5 }),
      );
      expect(error.kind).toBe('too_costly');
      expect(error.message).toContain('budget of 0.5');
    });

    it('serves another person’s query after at most a slot’s worth of a flooder’s statements', async () => {
      const finished: string[] = [];
      // On a pool her statement runs beside erin's: his must each take far longer than her few
      // round trips, or a loaded machine reorders them (the planner costs any series the same).
      const rows = engine === 'PGlite' ? 50_000 : 2_000_000;
      const flood = Array.from({ length: 6 }, (_, index) =>
        runReadOnlyQuery(acme().source, erin, `SELECT count(*) + ${index} FROM generate_series(1, ${rows})`).then(
          () => void finished.push(`erin-${index}`),
        ),
      );
      const carolQuery = runReadOnlyQuery(acme().source, carol, 'SELECT 1').then(() => void finished.push('carol'));
      await Promise.all([...flood, carolQuery]);
      // Without the fair queue carol waits behind all six; with it, behind the ones already running.
      // PGlite runs one statement at a time, so the order is exact. On a pool, statements started
      // beside carol's may finish before hers on a loaded machine: she is never behind the backlog.
      expect(finished.indexOf('carol')).toBeLessThanOrEqual(engine === 'PGlite' ? 1 : 4);
    });

    it('refuses (busy) a person’s queries beyond their queue bound while others are still served', async () => {
      const outcomes = await Promise.all([
        ...Array.from({ length: 14 }, () =>
          runReadOnlyQuery(acme().source, erin, 'SELECT count(*) FROM generate_series(1, 20000)').then(
            () => 'ok',
            (error: unknown) => (error instanceof SqlQueryError ? error.kind : 'other'),
          ),
        ),
        runReadOnlyQuery(acme().source, carol, 'SELECT 1').then(() => 'carol ok'),
      ]);
      expect(outcomes).toContain('busy');
      expect(outcomes).toContain('ok');
      expect(outcomes.at(-1)).toBe('carol ok');
    });
  });
}
