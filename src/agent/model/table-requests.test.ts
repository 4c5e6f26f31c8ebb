import { describe, expect, it } from 'vitest';
import { routeRequest } from './routing.ts';
import { describedTables, tableRequest } from './table-requests.ts';
import type { ToolCatalogEntry } from './tool-catalog.ts';

const sqlTool = (name: string, tables: string): ToolCatalogEntry => ({
  name,
  description: `Run one read-only SQL query on the clinic database with your own permissions. Tables: ${tables}.`,
  inputSchema: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] },
});

const catalog = [
  sqlTool('sql', 'public.patients(id, name, ward), public.ward_rosters(ward, nurse), appointments(id, patient_id, at)'),
  sqlTool('sql_billing', 'invoices(id, amount)'),
];

describe('requests naming a workspace table', () => {
  it('reads the tables every SQL tool lists', () => {
    expect(describedTables(catalog).map((table) => `${table.tool}:${table.name}:${table.columns.length}`)).toEqual([
      'sql:public.patients:3',
      'sql:public.ward_rosters:2',
      'sql:appointments:3',
      'sql_billing:invoices:2',
    ]);
  });

  it('lists or counts the table named, on the tool that has it', () => {
    expect(tableRequest('list the patients', catalog)).toMatchObject({
      toolName: 'sql',
      input: { query: 'SELECT id, name, ward FROM public.patients LIMIT 100' },
    });
    expect(tableRequest('how many invoices are there?', catalog)).toMatchObject({
      toolName: 'sql_billing',
      input: { query: 'SELECT count(*) AS invoices FROM invoices' },
    });
    expect(tableRequest('show me the ward roster', catalog)).toMatchObject({
      input: { query: 'SELECT ward, nurse FROM public.ward_rosters LIMIT 100' },
    });
    expect(tableRequest('what is the weather', catalog)).toBeUndefined();
  });

  it('counts per a listed column, and orders by one, on any workspace', () => {
    expect(tableRequest('how many patients per ward?', catalog)).toMatchObject({
      input: { query: 'SELECT ward, count(*) AS patients FROM public.patients GROUP BY ward ORDER BY ward' },
    });
    expect(tableRequest('number of appointments for each patient', catalog)).toMatchObject({
      input: {
        query: 'SELECT patient_id, count(*) AS appointments FROM appointments GROUP BY patient_id ORDER BY patient_id',
      },
    });
    expect(tableRequest('list the invoices sorted by amount', catalog)).toMatchObject({
      input: { query: 'SELECT id, amount FROM invoices ORDER BY amount LIMIT 100' },
    });
    expect(tableRequest('top 3 invoices by amount', catalog)).toMatchObject({
      input: { query: 'SELECT id, amount FROM invoices ORDER BY amount DESC LIMIT 3' },
    });
    // A word that names no listed column changes nothing.
    expect(tableRequest('how many patients by colour?', catalog)).toMatchObject({
      input: { query: 'SELECT count(*) AS patients FROM public.patients' },
    });
  });

  it('leaves the demo vocabulary out where the source has no such table', () => {
    const plan = routeRequest('what are the salaries?', catalog);
    expect(plan.kind).toBe('answer');
    expect(routeRequest('list appointments', catalog)).toMatchObject({ toolName: 'sql' });
  });
});
