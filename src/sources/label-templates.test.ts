import { describe, expect, it } from 'vitest';
import { normalizeLabelRule, parseLabelTemplate, renderLabel } from './label-templates.ts';

describe('label templates', () => {
  it('parses literal and per-row parts and renders a row', () => {
    const template = parseLabelTemplate('site:{site}:ward:{ward}');
    expect(template.columns).toEqual(['site', 'ward']);
    expect(
      renderLabel(
        template,
        new Map([
          ['site', 'north'],
          ['ward', '3'],
        ]),
      ),
    ).toBe('site:north:ward:3');
    expect(
      renderLabel(
        template,
        new Map([
          ['site', 'north'],
          ['ward', null],
        ]),
      ),
    ).toBeUndefined();
    expect(parseLabelTemplate('patient-record').columns).toEqual([]);
    expect(() => parseLabelTemplate('ward:{Ward}')).toThrow(/parameter/);
  });

  it('reads the legacy rules as templates', () => {
    const byColumn = normalizeLabelRule({ kind: 'by-column', column: 'region', prefix: 'sales-pipeline:' });
    expect(byColumn.rows.map((template) => template.source)).toEqual(['sales-pipeline:{region}']);
    const general = normalizeLabelRule({ kind: 'labels', labels: ['a', 'w:{w}'], columns: { ssn: ['pii'] } });
    expect(general.rows.map((template) => template.columns)).toEqual([[], ['w']]);
    expect([...general.columns.keys()]).toEqual(['ssn']);
  });
});
