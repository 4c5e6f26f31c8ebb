import { generateText, stepCountIs } from 'ai';
import { describe, expect, it } from 'vitest';
import { fakeExampleTools } from '../../../test/support/example-workspace.ts';
import { compoundPlan, partAnswered, requestParts } from './compound-request.ts';
import { callPlan, plannedCalls } from './model-plan.ts';
import { createOfflineModel } from './offline-model.ts';
import { routeRequest } from './routing.ts';
import type { ToolCatalogEntry } from './tool-catalog.ts';

const SQL: ToolCatalogEntry = {
  name: 'sql',
  description: 'Read-only SQL. Tables: projects(id, name), grades(student, grade), tickets(id, title).',
  inputSchema: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] },
};

const queries = (request: string) => plannedCalls(routeRequest(request, [SQL])).map((call) => String(call.input.query));

describe('requests joining separate asks', () => {
  it('splits on "and", commas and "plus", into two or three parts', () => {
    expect(requestParts('list the projects and the salaries')).toEqual(['list the projects', 'the salaries']);
    expect(requestParts('deals, incidents, and projects')).toEqual(['deals', 'incidents', 'projects']);
    expect(requestParts('projects plus incidents')).toEqual(['projects', 'incidents']);
    expect(requestParts('show the projects')).toEqual(['show the projects']);
    expect(requestParts('a and b and c and d')).toEqual(['a and b and c and d']);
  });

  it('makes one call per part when every part asks for something of its own', () => {
    expect(queries('list the projects and the grades')).toEqual([
      'SELECT id, name FROM projects LIMIT 100',
      'SELECT student, grade FROM grades LIMIT 100',
    ]);
    expect(queries('how many tickets, and list the projects')).toEqual([
      'SELECT count(*) AS tickets FROM tickets',
      'SELECT id, name FROM projects LIMIT 100',
    ]);
  });

  it('stays one question when a part asks nothing alone, or two parts ask the same', () => {
    expect(
      compoundPlan('revenue in Europe and Asia', (part) =>
        part.includes('revenue') ? callPlan('sql', {}) : undefined,
      ),
    ).toBeUndefined();
    expect(compoundPlan('projects and projects', () => callPlan('sql', { query: 'SELECT 1' }))).toBeUndefined();
    expect(queries('list the projects and thank you')).toEqual(['SELECT id, name FROM projects LIMIT 100']);
  });

  it('reads each result against the part its call answers', () => {
    expect(partAnswered('how many incidents and list the projects', 1, 2)).toBe('list the projects');
    expect(partAnswered('how many incidents and list the projects', 0, 1)).toBe(
      'how many incidents and list the projects',
    );
    expect(partAnswered('how many incidents and list the projects', -1, 2)).toBe(
      'how many incidents and list the projects',
    );
  });

  it('the offline model makes both calls in one step and answers each part', async () => {
    const { tools, calls } = fakeExampleTools();
    const result = await generateText({
      model: createOfflineModel(),
      tools,
      prompt: '@agent how many open incidents are there, and who reports to Erin?',
      stopWhen: stepCountIs(5),
    });
    expect(calls.map((call) => call.toolName)).toEqual(['sql', 'sql']);
    expect(String(calls[0]?.input.query)).toContain('FROM incidents');
    expect(String(calls[1]?.input.query)).toContain('FROM employees');
    expect(result.steps[0]?.toolCalls).toHaveLength(2);
    expect(result.text.split('\n\n').length).toBeGreaterThanOrEqual(2);
  });
});
