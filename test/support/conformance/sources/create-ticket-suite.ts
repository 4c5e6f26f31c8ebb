import { describe, expect, it } from 'vitest';
import { SqlQueryError } from '../../../../src/sources/sql-query-error.ts';
import { runAsWriter, runReadOnlyQuery } from '../../../../src/sources/sql-runner.ts';
import { createTicket } from '../../acme/acme-source.ts';
import { acmePrincipal } from '../../acme-visibility-oracle.ts';
import { type OpenAcme, useAcme } from './acme-fixtures.ts';

/** The write tool: the reporter is the acting principal, checked by the source itself. */
export function describeCreateTicketSuite(engine: string, open: OpenAcme): void {
  describe(`createTicket (${engine})`, () => {
    const acme = useAcme(open);

    const failure = async (promise: Promise<unknown>): Promise<SqlQueryError> => {
      const error = await promise.catch((caught: unknown) => caught);
      if (!(error instanceof SqlQueryError)) throw new Error(`expected a SqlQueryError, got ${String(error)}`);
      return error;
    };
    const ticketIdsSeenBy = async (user: string) =>
      (await runReadOnlyQuery(acme().source, acmePrincipal(user), 'SELECT id FROM tickets')).rows.map((row) => row[0]);

    it('files the ticket with the acting principal as reporter and labels it engineering-internal', async () => {
      const ticket = await createTicket(acme().source, acmePrincipal('carol'), {
        title: '  Build cache misses  ',
        body: 'CI rebuilds everything on each run.',
        severity: 'medium',
      });
      expect(ticket).toMatchObject({
        title: 'Build cache misses',
        body: 'CI rebuilds everything on each run.',
        severity: 'medium',
        reporterId: 'carol',
        labels: ['engineering-internal'],
      });
      expect(Number.isInteger(ticket.id)).toBe(true);
      expect(Number.isNaN(Date.parse(ticket.createdAt))).toBe(false);
      expect(await ticketIdsSeenBy('carol')).toContain(ticket.id);
      expect(await ticketIdsSeenBy('frank')).toContain(ticket.id);
      expect(await ticketIdsSeenBy('bob')).not.toContain(ticket.id);
    });

    it('refuses arguments that try to name the reporter, and malformed fields', async () => {
      const base = { title: 't', body: 'b', severity: 'low' };
      expect(
        (await failure(createTicket(acme().source, acmePrincipal('bob'), { ...base, reporter_id: 'dana' }))).kind,
      ).toBe('invalid');
      expect(
        (await failure(createTicket(acme().source, acmePrincipal('bob'), { ...base, reporterId: 'dana' }))).kind,
      ).toBe('invalid');
      expect(
        (await failure(createTicket(acme().source, acmePrincipal('bob'), { ...base, severity: 'urgent' }))).kind,
      ).toBe('invalid');
      expect((await failure(createTicket(acme().source, acmePrincipal('bob'), { ...base, title: '   ' }))).kind).toBe(
        'invalid',
      );
    });

    it('files as the agent in self-authorized mode', async () => {
      const agent = { id: 'agent:thr_q3_planning', groups: ['engineering'] };
      const ticket = await createTicket(acme().source, agent, { title: 'Agent report', body: '', severity: 'low' });
      expect(ticket.reporterId).toBe('agent:thr_q3_planning');
    });

    it('is checked by the source itself: the insert policy refuses another reporter', async () => {
      const error = await failure(
        runAsWriter(acme().source, acmePrincipal('bob'), (tx) =>
          tx.query(`INSERT INTO tickets (title, body, severity, reporter_id) VALUES ('x', 'y', 'low', 'dana')`),
        ),
      );
      expect(error.kind).toBe('permission_denied');
      expect(error.message).toMatch(/row-level security/);
    });

    it('gives the writer role nothing beyond filing tickets', async () => {
      for (const statement of [
        'SELECT * FROM compensation',
        'UPDATE tickets SET severity = $$low$$',
        'DELETE FROM tickets',
        `INSERT INTO tickets (id, title, body, severity, reporter_id) VALUES (999, 'x', 'y', 'low', 'bob')`,
      ]) {
        const error = await failure(runAsWriter(acme().source, acmePrincipal('bob'), (tx) => tx.query(statement)));
        expect(['permission_denied', 'invalid'], statement).toContain(error.kind);
      }
    });

    it('stores nothing when the write tool fails after inserting', async () => {
      const before = await ticketIdsSeenBy('frank');
      await expect(
        runAsWriter(acme().source, acmePrincipal('frank'), async (tx) => {
          await tx.query(`INSERT INTO tickets (title, body, severity, reporter_id) VALUES ('x', 'y', 'low', 'frank')`);
          throw new Error('tool failed');
        }),
      ).rejects.toThrow('tool failed');
      expect(await ticketIdsSeenBy('frank')).toEqual(before);
    });
  });
}
