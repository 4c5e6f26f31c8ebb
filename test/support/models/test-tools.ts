import { tool } from 'ai';
import { z } from 'zod';
import type { ToolResultEnvelope } from '../../../src/tools/types.ts';
import { ACME_DOCUMENTS } from '../acme/demo.ts';

/** One execution of a fake tool, as the tests inspect it. */
export interface FakeToolCall {
  toolName: string;
  input: Record<string, unknown>;
}

type Responder = (input: Record<string, unknown>) => ToolResultEnvelope;

/**
 * The four demo tools as plain AI SDK tools (zod input schemas, strict like the gateway's)
 * answering from canned Acme data. Test support for the models in this folder: they exercise
 * the real `generateText`/`streamText` loop without a gateway, policy engine or database.
 * With `approveWrites`, `create_ticket` needs approval, so the loop pauses before running it.
 */
export function fakeAcmeTools(
  overrides: Partial<Record<'sql' | 'search_documents' | 'get_document' | 'create_ticket', Responder>> = {},
  options: { approveWrites?: boolean } = {},
) {
  const calls: FakeToolCall[] = [];
  const run = (toolName: string, fallback: Responder) => async (input: Record<string, unknown>) => {
    calls.push({ toolName, input });
    return (overrides[toolName as keyof typeof overrides] ?? fallback)(input);
  };
  // Null prototype like the turn loop's tool set: `constructor` or `__proto__` must be unknown tools.
  const tools = Object.assign(Object.create(null) as object, {
    sql: tool({
      description: 'Run a read-only SQL query on the Acme PostgreSQL data source.',
      inputSchema: z.object({ query: z.string() }).strict(),
      execute: run('sql', (input) => sqlRows(String(input.query))),
    }),
    search_documents: tool({
      description: 'Full-text search over the documents the requester may read.',
      inputSchema: z.object({ query: z.string() }).strict(),
      execute: run('search_documents', (input) => searchHits(String(input.query))),
    }),
    get_document: tool({
      description: 'Read one document by id.',
      inputSchema: z.object({ id: z.string() }).strict(),
      execute: run('get_document', (input) => documentById(String(input.id))),
    }),
    create_ticket: tool({
      description: 'File a ticket in the issue tracker.',
      inputSchema: z
        .object({ title: z.string(), body: z.string(), severity: z.enum(['low', 'medium', 'high']) })
        .strict(),
      // The AI SDK pauses the loop with a `tool-approval-request` before running it.
      needsApproval: options.approveWrites ?? false,
      execute: run('create_ticket', (input) => ({
        ok: true,
        content: { id: 'TCK-1', title: input.title, severity: input.severity },
        labels: ['public'],
      })),
    }),
  });
  return { tools, calls };
}

const TABLES: Record<string, { label: string; rows: Record<string, unknown>[] }> = {
  compensation: {
    label: 'hr-confidential',
    rows: [
      { name: 'Bob Okafor', title: 'Account executive, EMEA', department: 'Sales', salary: 98000, bonus: 60000 },
      { name: 'Gus Moreau', title: 'Account executive, APAC', department: 'Sales', salary: 95000, bonus: 55000 },
    ],
  },
  deals: {
    label: 'sales-pipeline:emea',
    rows: [{ id: 'D-1', account: 'Initech', region: 'emea', amount: 480000, stage: 'negotiation', owner_id: 'bob' }],
  },
  incidents: {
    label: 'engineering-internal',
    rows: [{ id: 'INC-7', title: 'Primary database outage', severity: 'sev1', service: 'orders', status: 'resolved' }],
  },
  employees: {
    label: 'public',
    rows: [
      {
        id: 'erin',
        name: 'Erin Walsh',
        title: 'VP sales',
        department: 'Sales',
        manager_id: 'dana',
        location: 'London',
      },
    ],
  },
};

function sqlRows(query: string): ToolResultEnvelope {
  const table = Object.keys(TABLES).find((name) => new RegExp(`\\b${name}\\b`, 'i').test(query)) ?? 'employees';
  const { label, rows } = TABLES[table] ?? { label: 'public', rows: [] };
  const columns = Object.keys(rows[0] ?? {});
  return { ok: true, content: { columns, rows, rowCount: rows.length, truncated: false }, labels: [label] };
}

function searchHits(query: string): ToolResultEnvelope {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const hits = ACME_DOCUMENTS.filter((document) =>
    words.some((word) => `${document.title} ${document.body}`.toLowerCase().includes(word)),
  ).map((document) => ({
    id: document.id,
    title: document.title,
    label: document.label,
    snippet: document.body.slice(0, 160),
  }));
  return { ok: true, content: { hits }, labels: [...new Set(hits.map((hit) => hit.label))] };
}

function documentById(id: string): ToolResultEnvelope {
  const document = ACME_DOCUMENTS.find((candidate) => candidate.id === id);
  if (!document) return { ok: false, error: { code: 'failed', message: `No document ${id}.`, policies: [] } };
  const { readers: _readers, ...visible } = document;
  return { ok: true, content: visible, labels: [document.label] };
}
