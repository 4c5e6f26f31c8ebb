import type { TableLabelRules } from '../types.ts';
import { ACME_EMPLOYEES } from './seed-data.ts';

/**
 * The label each Acme table's rows carry (SPEC §4). `deals` rows carry their region's label, so a
 * result is labelled by the regions the requester can actually see.
 */
export const ACME_TABLE_LABELS: TableLabelRules = {
  employees: { kind: 'static', label: 'public' },
  compensation: { kind: 'static', label: 'hr-confidential' },
  deals: { kind: 'by-column', column: 'region', prefix: 'sales-pipeline:' },
  incidents: { kind: 'static', label: 'engineering-internal' },
  tickets: { kind: 'static', label: 'engineering-internal' },
};

/** The label of a ticket created by the write tool. */
export const ACME_TICKET_LABEL = 'engineering-internal';

/** The directory as others need it (ids and names), e.g. for pickers and adversarial tests. */
export const ACME_DIRECTORY: readonly { id: string; name: string }[] = ACME_EMPLOYEES.map(({ id, name }) => ({
  id,
  name,
}));
