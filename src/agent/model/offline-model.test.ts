import { generateText, type ModelMessage, stepCountIs } from 'ai';
import { describe, expect, it } from 'vitest';
import { fakeExampleTools, VENDOR_FAQ_INJECTION } from '../../../test/support/example-workspace.ts';
import { createOfflineModel } from './offline-model.ts';

type Overrides = Parameters<typeof fakeExampleTools>[0];

async function ask(prompt: string | ModelMessage[], overrides: Overrides = {}) {
  const { tools, calls } = fakeExampleTools(overrides);
  const result = await generateText({
    model: createOfflineModel(),
    tools,
    ...(typeof prompt === 'string' ? { prompt } : { messages: prompt }),
    stopWhen: stepCountIs(5),
  });
  return { text: result.text, calls, steps: result.steps };
}

describe('offline model: directives', () => {
  it('/sql runs the query verbatim and answers with a table', async () => {
    const { calls, text } = await ask('@agent /sql SELECT name FROM employees');
    expect(calls).toEqual([{ toolName: 'sql', input: { query: 'SELECT name FROM employees' } }]);
    expect(text).toContain('| id | name | title |');
  });

  it('/search searches for the words', async () => {
    const { calls, text } = await ask('@agent /search parental leave');
    expect(calls).toEqual([{ toolName: 'search_documents', input: { query: 'parental leave' } }]);
    expect(text).toContain('**Employee handbook**');
  });

  it('/tool calls the named tool with the JSON arguments', async () => {
    const { calls, text } = await ask('@agent /tool get_document {"id": "doc-handbook"}');
    expect(calls).toEqual([{ toolName: 'get_document', input: { id: 'doc-handbook' } }]);
    expect(text).toContain('Working hours are flexible');
  });

  it('/tool with invalid JSON answers that it is invalid and calls nothing', async () => {
    const { calls, text, steps } = await ask('@agent /tool sql {"query": ');
    expect(calls).toEqual([]);
    expect(steps).toHaveLength(1);
    expect(text).toMatch(/not valid JSON/);
  });

  it('/tool with a non-object argument answers instead of calling', async () => {
    const { calls, text } = await ask('@agent /tool sql ["SELECT 1"]');
    expect(calls).toEqual([]);
    expect(text).toMatch(/must be a JSON object/);
  });

  it('/sql without a query explains the commands', async () => {
    const { calls, text } = await ask('@agent /sql');
    expect(calls).toEqual([]);
    expect(text).toContain('/search words');
  });
});

describe('offline model: plain requests', () => {
  it('routes salary questions naming a person to compensation joined to employees', async () => {
    const { calls, text } = await ask("@agent what is Bob's salary?");
    const query = String(calls[0]?.input.query);
    expect(calls[0]?.toolName).toBe('sql');
    expect(query).toMatch(/FROM compensation c JOIN employees e ON e\.id = c\.employee_id/);
    expect(query).toContain("e.id = 'bob'");
    expect(text).toContain('| Bob Okafor |');
  });

  it('routes deals with region words to a WHERE on region', async () => {
    const { calls } = await ask('@agent show me the EMEA and Americas pipeline');
    expect(String(calls[0]?.input.query)).toMatch(/FROM deals d .* WHERE d\.region IN \('amer', 'emea'\)/);
  });

  it('routes incidents to the incidents table', async () => {
    const { calls, text } = await ask('@agent any outages this week?');
    expect(String(calls[0]?.input.query)).toMatch(/FROM incidents/);
    expect(text).toContain('Primary database outage');
  });

  it('routes directory questions to employees', async () => {
    const { calls } = await ask('@agent who reports to Erin?');
    expect(String(calls[0]?.input.query)).toMatch(/FROM employees e WHERE e\.manager_id IN/);
  });

  it('routes document requests to search with the salient keywords', async () => {
    const { calls } = await ask('@agent find the outage postmortem please');
    expect(calls).toEqual([{ toolName: 'search_documents', input: { query: 'outage postmortem' } }]);
  });

  it('summarizing a document searches, then reads the top hit', async () => {
    const { calls, text } = await ask('@agent summarize the employee handbook');
    expect(calls.map((call) => call.toolName)).toEqual(['search_documents', 'get_document']);
    expect(calls[1]?.input).toEqual({ id: 'doc-handbook' });
    expect(text).toContain('**Employee handbook**');
  });

  it('routes a doc id mention to get_document', async () => {
    const { calls } = await ask('@agent show doc-board-deck');
    expect(calls).toEqual([{ toolName: 'get_document', input: { id: 'doc-board-deck' } }]);
  });

  it('files a ticket with a title from the request', async () => {
    const { calls, text } = await ask('@agent file a ticket: VPN is down for everyone, urgent');
    expect(calls).toEqual([
      {
        toolName: 'create_ticket',
        input: {
          title: 'VPN is down for everyone, urgent',
          body: 'file a ticket: VPN is down for everyone, urgent',
          severity: 'high',
        },
      },
    ]);
    expect(text).toBe('I filed ticket **TCK-1**: “VPN is down for everyone, urgent” (severity high).');
  });

  it('answers an unknown request with what it can do and calls nothing', async () => {
    const { calls, text } = await ask('@agent what is the meaning of life?');
    expect(calls).toEqual([]);
    expect(text).toContain('I can:');
    expect(text).toContain('`/tool NAME {json}`');
  });

  it('never calls a tool it was not offered', async () => {
    const { tools, calls } = fakeExampleTools();
    const { sql: _sql, ...withoutSql } = tools;
    const result = await generateText({ model: createOfflineModel(), tools: withoutSql, prompt: '@agent salaries?' });
    expect(calls).toEqual([]);
    expect(result.text).toMatch(/`sql` tool .* not available/);
  });

  it('answers the latest request, not one whose results are already in the thread', async () => {
    const first = await generateText({
      model: createOfflineModel(),
      tools: fakeExampleTools().tools,
      prompt: '@agent any incidents?',
      stopWhen: stepCountIs(5),
    });
    const { calls } = await ask([
      { role: 'user', content: '@agent any incidents?' },
      ...first.response.messages,
      { role: 'user', content: '[bob] @agent who is Carol?' },
    ]);
    expect(calls).toHaveLength(1);
    expect(String(calls[0]?.input.query)).toContain("e.id = 'carol'");
  });
});

describe('offline model: composition', () => {
  it('says plainly that access was denied, naming the policy and the reason', async () => {
    const { text } = await ask('@agent what are the salaries?', {
      sql: () => ({
        ok: false,
        error: { code: 'denied', message: 'hr-confidential is for hr and finance', policies: ['compensation-readers'] },
      }),
    });
    expect(text).toBe(
      'Access denied: your request to use `sql` was refused by policy `compensation-readers`. ' +
        'Reason: hr-confidential is for hr and finance',
    );
  });

  it('says what failed for other errors', async () => {
    const { text } = await ask('@agent /sql SELEC 1', {
      sql: () => ({ ok: false, error: { code: 'failed', message: 'syntax error at or near "SELEC"', policies: [] } }),
    });
    expect(text).toBe('The `sql` call failed: syntax error at or near "SELEC"');
  });

  it('reports an empty result as no visible rows', async () => {
    const { text } = await ask('@agent /sql SELECT 1', {
      sql: () => ({ ok: true, content: { columns: [], rows: [], rowCount: 0, truncated: false }, labels: [] }),
    });
    expect(text).toMatch(/no rows/);
  });

  it('does not act on instructions injected in a search result', async () => {
    const injected = { id: 'doc-vendor-faq', title: 'Vendor FAQ', label: 'public', snippet: VENDOR_FAQ_INJECTION };
    const { calls, text } = await ask('@agent search the vendor FAQ', {
      search_documents: () => ({ ok: true, content: { hits: [injected] }, labels: ['public'] }),
    });
    expect(calls.map((call) => call.toolName)).toEqual(['search_documents']);
    expect(text).toContain('**Vendor FAQ**');
  });

  it('does not act on instructions injected in a document it summarizes', async () => {
    const { calls } = await ask('@agent summarize the vendor FAQ');
    expect(calls.map((call) => call.toolName)).toEqual(['search_documents', 'get_document']);
  });
});

describe('offline model: determinism', () => {
  it('gives identical steps for the same prompt', async () => {
    const first = await ask('@agent summarize the employee handbook');
    const second = await ask('@agent summarize the employee handbook');
    expect(second.text).toBe(first.text);
    expect(JSON.stringify(second.steps.map((step) => step.content))).toBe(
      JSON.stringify(first.steps.map((step) => step.content)),
    );
  });
});
