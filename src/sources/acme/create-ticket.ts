import { z } from 'zod';
import { SqlQueryError } from '../sql-query-error.ts';
import { runAsWriter } from '../sql-runner.ts';
import type { SqlDataSource, SqlPrincipal } from '../types.ts';
import { ACME_TICKET_LABEL } from './labels.ts';

/**
 * What the ticket tool accepts. Strict: unknown keys (`reporter_id`, `reporterId`) are refused,
 * so the arguments can never name the reporter.
 */
export const TicketInputSchema = z.strictObject({
  title: z.string().trim().min(1).max(200),
  body: z.string().max(10_000),
  severity: z.enum(['low', 'medium', 'high', 'critical']),
});

/** A ticket's fields as the model provides them. */
export type TicketInput = z.infer<typeof TicketInputSchema>;

/** The stored ticket, with the label its data carries. */
export interface CreatedTicket {
  id: number;
  title: string;
  body: string;
  severity: TicketInput['severity'];
  /** Always the acting principal. */
  reporterId: string;
  createdAt: string;
  labels: string[];
}

type TicketRow = { id: number; title: string; body: string; severity: string; reporter_id: string; created_at: Date };

/**
 * Files a ticket as `principal`, in a read-write transaction as the writer role. The reporter is
 * taken from the acting identity inside the database (`acme_private.user_id()`, set from the
 * principal), and the source's own INSERT policy checks it again. Rejects with `SqlQueryError`.
 */
export async function createTicket(
  source: SqlDataSource,
  principal: SqlPrincipal,
  input: unknown,
): Promise<CreatedTicket> {
  const parsed = TicketInputSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SqlQueryError('invalid', `invalid ticket: ${issue?.path.join('.') || 'input'}: ${issue?.message}`);
  }
  const { title, body, severity } = parsed.data;
  const row = await runAsWriter(source, principal, async (tx) => {
    const inserted = await tx.query<TicketRow>(
      `INSERT INTO tickets (title, body, severity, reporter_id)
       VALUES ($1, $2, $3, acme_private.user_id())
       RETURNING id, title, body, severity, reporter_id, created_at`,
      [title, body, severity],
    );
    return inserted.rows[0];
  });
  if (!row) throw new SqlQueryError('failed', 'the ticket was not stored');
  return {
    id: row.id,
    title: row.title,
    body: row.body,
    severity: row.severity as TicketInput['severity'],
    reporterId: row.reporter_id,
    createdAt: new Date(row.created_at).toISOString(),
    labels: [ACME_TICKET_LABEL],
  };
}
