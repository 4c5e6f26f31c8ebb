import { describe, expect, it } from 'vitest';
import { parsePolicyResource } from './resource-text.ts';

describe('parsePolicyResource', () => {
  it('reads the policy-check grammar and bare ids of the action’s type', () => {
    expect(parsePolicyResource('label:hr-confidential')).toEqual({ type: 'Label', id: 'hr-confidential' });
    expect(parsePolicyResource('Tool::"sql"')).toEqual({ type: 'Tool', id: 'sql' });
    expect(parsePolicyResource(' thread:thr_q3_planning ')).toEqual({ type: 'Thread', id: 'thr_q3_planning' });
    expect(parsePolicyResource('AuditLog::"anything"')).toEqual({ type: 'AuditLog', id: 'global' });
    expect(parsePolicyResource('auditlog', 'readAuditLog')).toEqual({ type: 'AuditLog', id: 'global' });
    expect(parsePolicyResource('hr-confidential', 'readLabel')).toEqual({ type: 'Label', id: 'hr-confidential' });
    expect(parsePolicyResource('sales-pipeline:emea', 'readLabel')).toEqual({
      type: 'Label',
      id: 'sales-pipeline:emea',
    });
    expect(parsePolicyResource('label:ward:3', 'declassifyLabel')).toEqual({ type: 'Label', id: 'ward:3' });
  });

  it('refuses what it cannot read, and a type the action does not apply to', () => {
    expect(() => parsePolicyResource('hr-confidential')).toThrow(/label:<id>/);
    expect(() => parsePolicyResource('two words', 'readLabel')).toThrow(/resource/);
    expect(() => parsePolicyResource('tool:sql', 'readLabel')).toThrow(/readLabel applies to a Label/);
    expect(() => parsePolicyResource('', 'readLabel')).toThrow();
  });
});
