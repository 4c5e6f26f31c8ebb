import { describe, expect, it } from 'vitest';
import { stripAgentMention } from './request-text.ts';
import { routeRequest } from './routing.ts';
import type { ToolCatalogEntry } from './tool-catalog.ts';

const stringTool = (name: string, description: string, property = 'query'): ToolCatalogEntry => ({
  name,
  description,
  inputSchema: { type: 'object', properties: { [property]: { type: 'string' } }, required: [property] },
});
const CATALOG = [
  stringTool('sql', 'Read-only SQL'),
  stringTool('search_documents', 'Search documents'),
  stringTool('get_document', 'Read a document', 'id'),
  stringTool('create_ticket', 'File a ticket', 'title'),
];

function queryOf(request: string): string {
  const plan = routeRequest(request, CATALOG);
  if (plan.kind !== 'call') throw new Error(`expected a call for ${request}, got: ${plan.text}`);
  return String(plan.input.query);
}

describe('routing', () => {
  it.each([
    ['salary of Bob Okafor', "(e.id = 'bob' OR e.name ILIKE '%Bob Okafor%')"],
    ['How much does Carol earn?', "e.id = 'carol'"],
    ['salaries in engineering', "e.department IN ('Engineering')"],
    ['salaries in HR', "e.department IN ('People')"],
    ['how much does carol make', "e.id = 'carol'"],
    ["what is carol's salary", "e.id = 'carol'"],
    ["what's the bonus pool?", 'FROM compensation c JOIN employees e'],
  ])('salary: %s', (request, fragment) => {
    expect(queryOf(request)).toContain(fragment);
  });

  it('does not read a SQL-injection attempt into the name', () => {
    expect(queryOf("salary of O'Brien; DROP TABLE employees")).toContain("e.name ILIKE '%O''Brien%'");
    expect(queryOf("salary of O'Brien; DROP TABLE employees")).not.toContain('DROP');
  });

  it.each([
    ['deals in APAC', "region IN ('apac')"],
    ['revenue in Europe and Asia', "region IN ('apac', 'emea')"],
    ['total pipeline by region', 'GROUP BY d.region'],
    ['open deals', "d.stage NOT IN ('closed-won', 'closed-lost')"],
    ['deals we won', "d.stage IN ('closed-won')"],
    ['deals over 300k', 'd.amount > 300000'],
  ])('deals: %s', (request, fragment) => {
    expect(queryOf(request)).toContain(fragment);
  });

  it('directory: manager, reports, person', () => {
    expect(queryOf('who manages Bob?')).toContain('e.id IN (SELECT m.manager_id');
    expect(queryOf("Bob's manager")).toContain('e.id IN (SELECT m.manager_id');
    expect(queryOf('who is carol')).toContain("(e.id = 'carol'");
    expect(queryOf('who is on the sales team')).toContain("e.department IN ('Sales')");
  });

  it('document nouns win over data vocabulary', () => {
    expect(routeRequest('show the 2026 compensation bands', CATALOG)).toEqual({
      kind: 'call',
      toolName: 'search_documents',
      input: { query: '2026 compensation bands' },
    });
  });

  it('ticket severity follows the wording', () => {
    const severity = (request: string) => {
      const plan = routeRequest(request, CATALOG);
      return plan.kind === 'call' ? plan.input.severity : undefined;
    };
    expect(severity('open a ticket about a typo on the wiki, minor')).toBe('low');
    expect(severity('file a bug: checkout is slow')).toBe('medium');
    expect(severity('report an issue: the site is down')).toBe('high');
  });

  it('matches tools outside the demo by their description', () => {
    const weather = stringTool('get_weather', 'Current weather for a city', 'city');
    expect(routeRequest("what's the weather in Paris?", [...CATALOG, weather])).toEqual({
      kind: 'call',
      toolName: 'get_weather',
      input: { city: 'paris' },
    });
  });

  it.each([
    ['@agent /sql SELECT 1', '/sql SELECT 1'],
    ['Alice Chen: @agent, who is Bob?', 'who is Bob?'],
    ['[bob] @Agent: deals', 'deals'],
    ['no mention here', 'no mention here'],
  ])('strips a speaker tag and the @agent mention: %s', (text, request) => {
    expect(stripAgentMention(text)).toBe(request);
  });

  it('answers an unknown directive with the commands', () => {
    const plan = routeRequest('/drop everything', CATALOG);
    expect(plan.kind).toBe('answer');
    expect(plan.kind === 'answer' && plan.text).toContain("I don't know the command `/drop`");
  });
});

describe('a table whose name holds a document noun', () => {
  // The init template's `project_notes`: "notes" alone means documents, "project notes" the table.
  const catalog = [
    stringTool('sql', 'Run one read-only SQL query. Tables: projects(id, name); project_notes(id, project_id, body).'),
    stringTool('search_documents', 'Search documents'),
  ];

  it('routes a request naming the table to the table, not to document search', () => {
    for (const request of ['show the project notes', 'how many project notes are there?', 'list project_notes']) {
      const plan = routeRequest(request, catalog);
      expect(plan, request).toMatchObject({ kind: 'call', toolName: 'sql' });
      expect(plan.kind === 'call' && String(plan.input.query), request).toMatch(/FROM project_notes/);
    }
  });

  it('still routes notes that are not the table to document search', () => {
    expect(routeRequest('find the notes from the offsite', catalog)).toMatchObject({
      kind: 'call',
      toolName: 'search_documents',
    });
  });
});
