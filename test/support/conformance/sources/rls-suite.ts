import { describe, expect, it } from 'vitest';
import { runReadOnlyQuery } from '../../../../src/sources/sql-runner.ts';
import type { SqlPrincipal } from '../../../../src/sources/types.ts';
import { ACME_DEALS, ACME_EMPLOYEES } from '../../acme/seed-data.ts';
import { acmePrincipal } from '../../acme-visibility-oracle.ts';
import { type OpenAcme, useAcme } from './acme-fixtures.ts';

/** Row-level security is the source's own: these queries run exactly as the model's would. */
export function describeRlsSuite(engine: string, open: OpenAcme): void {
  describe(`Acme row-level security, per demo user and table (${engine})`, () => {
    const acme = useAcme(open);

    async function column(principal: SqlPrincipal, sql: string): Promise<unknown[]> {
      const result = await runReadOnlyQuery(acme().source, principal, sql, { maxRows: 1000 });
      return result.rows.map((row) => row[0]);
    }
    const compensationIds = (user: string) =>
      column(acmePrincipal(user), 'SELECT employee_id FROM compensation ORDER BY employee_id');
    const dealRegions = async (user: string) => new Set(await column(acmePrincipal(user), 'SELECT region FROM deals'));

    it('lets every user read the whole directory', async () => {
      for (const user of ['alice', 'bob', 'carol', 'ivy']) {
        expect(await column(acmePrincipal(user), 'SELECT id FROM employees')).toHaveLength(ACME_EMPLOYEES.length);
      }
    });

    it('shows alice (hr) and dana (finance) every compensation row', async () => {
      expect(await compensationIds('alice')).toHaveLength(ACME_EMPLOYEES.length);
      expect(await compensationIds('dana')).toHaveLength(ACME_EMPLOYEES.length);
    });

    it('shows erin her own row and her reports bob and gus, not carol', async () => {
      expect(await compensationIds('erin')).toEqual(['bob', 'erin', 'gus']);
    });

    it('shows frank his whole management chain below him and himself', async () => {
      expect(await compensationIds('frank')).toEqual(['amir', 'beatriz', 'carol', 'chen', 'devi', 'felix', 'frank']);
    });

    it('shows carol, bob, gus and ivy only their own row', async () => {
      for (const user of ['carol', 'bob', 'gus', 'ivy']) expect(await compensationIds(user)).toEqual([user]);
    });

    it('shows bob the EMEA deals only and gus the APAC deals only', async () => {
      expect(await dealRegions('bob')).toEqual(new Set(['emea']));
      expect(await dealRegions('gus')).toEqual(new Set(['apac']));
      const bobs = await column(acmePrincipal('bob'), 'SELECT id FROM deals');
      expect(bobs).toHaveLength(ACME_DEALS.filter((deal) => deal.region === 'emea').length);
    });

    it('shows erin (sales manager, exec) and dana (finance) every deal', async () => {
      for (const user of ['erin', 'dana']) {
        expect(await column(acmePrincipal(user), 'SELECT id FROM deals')).toHaveLength(ACME_DEALS.length);
      }
    });

    it('shows no deals to carol, alice or ivy', async () => {
      for (const user of ['carol', 'alice', 'ivy']) expect(await dealRegions(user)).toEqual(new Set());
    });

    it('shows incidents to engineering and execs (carol, frank, dana, erin), not to bob, alice or ivy', async () => {
      const count = (user: string) => column(acmePrincipal(user), 'SELECT count(*) FROM incidents');
      for (const user of ['carol', 'frank', 'dana', 'erin']) expect(await count(user)).toEqual([12]);
      for (const user of ['bob', 'alice', 'ivy']) expect(await count(user)).toEqual([0]);
    });

    it('shows reporters their own tickets, and engineering and execs (cleared for their label) every ticket', async () => {
      const reporters = (user: string) =>
        column(acmePrincipal(user), 'SELECT reporter_id FROM tickets ORDER BY reporter_id');
      for (const user of ['carol', 'frank', 'dana', 'erin'])
        expect(await reporters(user)).toEqual(['bob', 'carol', 'dana']);
      expect(await reporters('bob')).toEqual(['bob']);
      expect(await reporters('alice')).toEqual([]);
      expect(await reporters('ivy')).toEqual([]);
    });

    it('gives a self-authorized agent principal only what its configured groups allow', async () => {
      const agent = { id: 'agent:thr_q3_planning', groups: ['sales', 'sales-emea'] };
      expect(new Set(await column(agent, 'SELECT region FROM deals'))).toEqual(new Set(['emea']));
      expect(await column(agent, 'SELECT employee_id FROM compensation')).toEqual([]);
    });

    it('shows nothing protected to a principal without groups who is nobody', async () => {
      const nobody = { id: 'nobody', groups: [] };
      expect(await column(nobody, 'SELECT count(*) FROM compensation')).toEqual([0]);
      expect(await column(nobody, 'SELECT count(*) FROM deals')).toEqual([0]);
      expect(await column(nobody, 'SELECT count(*) FROM tickets')).toEqual([0]);
    });
  });
}
