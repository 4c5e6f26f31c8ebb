import { describe, expect, it } from 'vitest';
import { capabilitiesAnswer } from './capabilities.ts';

const TOOLS = ['sql', 'search_documents', 'get_document'];

describe('the offline model’s help', () => {
  it('gives examples from the tables it was offered, and names no document outside the demo', () => {
    const school = capabilitiesAnswer(TOOLS, undefined, [
      { tool: 'sql', name: 'grades', columns: ['id', 'grade'] },
      { tool: 'sql', name: 'classes', columns: ['id'] },
    ]);
    expect(school).toContain('list or count the rows you may see in `grades`, `classes` ("how many grades?")');
    expect(school).toContain('("find the documents about holidays")');
    expect(school).not.toMatch(/postmortem|handbook|doc-|Erin|EMEA/);
  });

  it('keeps the demo’s own examples where its tables are', () => {
    const acme = capabilitiesAnswer(TOOLS, undefined, [
      { tool: 'sql', name: 'deals', columns: ['id'] },
      { tool: 'sql', name: 'employees', columns: ['id'] },
    ]);
    expect(acme).toContain("what's our open EMEA pipeline worth?");
    expect(acme).toContain('("show doc-handbook")');
  });
});
