import { describe, expect, it } from 'vitest';
import { ticketInput } from './ticket-request.ts';

describe('the offline model reads a ticket from a request', () => {
  it.each([
    ['create a ticket titled Printer broken', 'Printer broken'],
    ['file a ticket called "VPN drops every hour"', 'VPN drops every hour'],
    ['open a bug named login loops', 'Login loops'],
    ['file a ticket: the build is red.', 'The build is red'],
    ['file a ticket about the flaky deploy', 'The flaky deploy'],
  ])('%s → title %s', (request, title) => {
    expect(ticketInput(request).title).toBe(title);
  });

  it('keeps the whole request as the body and reads the severity from it', () => {
    expect(ticketInput('file an urgent ticket titled Site down')).toEqual({
      title: 'Site down',
      body: 'file an urgent ticket titled Site down',
      severity: 'high',
    });
  });
});
