import { describe, expect, it } from 'vitest';
import { formatCell, localizeFigures } from './format.ts';

// Issue 11.7: money and large numbers for the reader's locale, in tables and in prose.
describe('number formatting for the reader', () => {
  it('formats money columns as currency and large numbers grouped, per locale', () => {
    expect(formatCell('amount', '480000', 'en-US')).toBe('$480,000');
    expect(formatCell('salary', '205000', 'de-DE')).toBe('205.000\u00a0$');
    expect(formatCell('deals', '12345', 'de-DE')).toBe('12.345');
    expect(formatCell('deals', '7', 'de-DE')).toBe('7');
  });

  it('leaves identifiers, years and text alone', () => {
    expect(formatCell('id', '12345', 'en-US')).toBe('12345');
    expect(formatCell('owner_id', '100200', 'en-US')).toBe('100200');
    expect(formatCell('account', 'Initech', 'en-US')).toBe('Initech');
    expect(formatCell('opened_at', '2026-09-15T19:22:00.000Z', 'en-US')).toBe('2026-09-15T19:22:00.000Z');
  });

  it('re-renders the canonical figures of answer prose and nothing else', () => {
    expect(localizeFigures('7 deals, worth $1,810,000 in total.', 'de-DE')).toBe(
      '7 deals, worth 1.810.000\u00a0$ in total.',
    );
    expect(localizeFigures('There are 12,345 rows.', 'fr-FR')).toBe('There are 12\u202f345 rows.');
    expect(localizeFigures('D-1002 opened in 2026 at 10:00, 1,234.5 units', 'de-DE')).toBe(
      'D-1002 opened in 2026 at 10:00, 1,234.5 units',
    );
  });
});
