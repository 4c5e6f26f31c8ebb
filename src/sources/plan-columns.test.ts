import { describe, expect, it } from 'vitest';
import { deniedFunctionsCalled, labeledColumnsRead } from './plan-columns.ts';
import type { TableLabelRules } from './types.ts';

const RULES: TableLabelRules = {
  patients: { kind: 'labels', labels: ['patient-record'], columns: { ssn: ['pii'], order: ['x'] } },
  wards: { kind: 'static', label: 'public' },
};

const scan = (alias: string | undefined, output: string[], extra: Record<string, unknown> = {}) => ({
  'Node Type': 'Seq Scan',
  'Parent Relationship': 'Outer',
  'Relation Name': 'patients',
  Schema: 'public',
  ...(alias === undefined ? {} : { Alias: alias }),
  Output: output,
  ...extra,
});

const plan = (root: Record<string, unknown>) => [{ Plan: root }];

describe('labeledColumnsRead', () => {
  it('ignores the physical target list of a scan under a join, counting what the join names', () => {
    const joined = plan({
      'Node Type': 'Limit',
      Output: ['p.name'],
      Plans: [
        {
          'Node Type': 'Hash Join',
          'Parent Relationship': 'Outer',
          Output: ['p.name'],
          'Hash Cond': '(n.patient_id = p.id)',
          Plans: [
            { ...scan('p', ['p.id', 'p.name', 'p.ssn', 'p."order"']), 'Parent Relationship': 'Outer' },
            { 'Node Type': 'Hash', 'Parent Relationship': 'Inner', Output: ['n.patient_id'], Plans: [] },
          ],
        },
      ],
    });
    expect(labeledColumnsRead(joined, RULES)).toEqual(new Map([['patients', new Set()]]));
  });

  it('counts quoted names, whole rows and conditions', () => {
    expect(
      labeledColumnsRead(
        plan({ 'Node Type': 'Limit', Output: ['p."order"'], Plans: [scan('p', ['p."order"'])] }),
        RULES,
      ),
    ).toEqual(new Map([['patients', new Set(['order'])]]));
    expect(
      labeledColumnsRead(plan({ 'Node Type': 'Limit', Output: ['p.*'], Plans: [scan('p', ['p.*'])] }), RULES),
    ).toEqual(new Map([['patients', new Set(['ssn', 'order'])]]));
    const filtered = plan({
      'Node Type': 'Limit',
      Output: ['p.name'],
      Plans: [scan('p', ['p.name'], { Filter: "(p.ssn_hash = 'x') AND (p.ssn <> '')" })],
    });
    expect(labeledColumnsRead(filtered, RULES)).toEqual(new Map([['patients', new Set(['ssn'])]]));
    const prefixOnly = plan({
      'Node Type': 'Limit',
      Output: ['p.ssn_hash', 'xp.ssn'],
      Plans: [scan('p', ['p.ssn_hash'])],
    });
    expect(labeledColumnsRead(prefixOnly, RULES)).toEqual(new Map([['patients', new Set()]]));
  });

  it('is unsure (every labelled column) without an alias or a readable plan', () => {
    expect(labeledColumnsRead(plan({ 'Node Type': 'Limit', Output: [], Plans: [scan(undefined, [])] }), RULES)).toEqual(
      new Map(),
    );
    expect(labeledColumnsRead('not json', RULES)).toEqual(new Map());
  });
});

describe('deniedFunctionsCalled', () => {
  it('finds calls by name, bare, qualified or quoted, anywhere in the plan', () => {
    const denied = ['set_config', 'pg_sleep'];
    const calling = plan({
      'Node Type': 'Result',
      Output: ["pg_catalog.set_config('role'::text, 'x'::text, true)"],
      Plans: [{ 'Node Type': 'Result', 'Parent Relationship': 'InitPlan', Output: ['"pg_sleep"(1)'] }],
    });
    expect(deniedFunctionsCalled(calling, denied)).toEqual(['set_config', 'pg_sleep']);
    expect(
      deniedFunctionsCalled(
        plan({ 'Node Type': 'Result', Output: ['my_set_config(1)', 'public.pg_sleep(1)'] }),
        denied,
      ),
    ).toEqual([]);
    expect(deniedFunctionsCalled('{', denied)).toEqual(denied);
  });
});
