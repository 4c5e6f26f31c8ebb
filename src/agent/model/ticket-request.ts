import { mentions, oneLine } from './request-text.ts';

/** Phrases that ask the agent to file a ticket. */
export const TICKET_VOCABULARY = [
  'ticket',
  'file a bug',
  'file bug',
  'report an issue',
  'report a bug',
  'report a problem',
  'open an issue',
  'raise an issue',
  'bug report',
] as const;

/** `create_ticket` arguments for a request such as `file a ticket: VPN is down, urgent`. */
export function ticketInput(request: string): { title: string; body: string; severity: 'low' | 'medium' | 'high' } {
  return { title: ticketTitle(request), body: request, severity: ticketSeverity(request) };
}

function ticketTitle(request: string): string {
  const afterColon = /:\s*(.+)$/s.exec(request)?.[1];
  const afterNoun = /\b(?:ticket|bug|issue|problem)\b\s*(?:about|for|that|saying|regarding|on|re|with)?\s*(.+)$/is.exec(
    request,
  )?.[1];
  const subject = (afterColon ?? afterNoun ?? request)
    .replace(/^(?:to\s+say\s+|that\s+|(?:titled|called|named)\s+)/i, '')
    .replace(/^["'“‘](.*)["'”’]$/s, '$1');
  const title = oneLine(subject, 80).replace(/[.!?]+$/, '');
  return title ? title.charAt(0).toUpperCase() + title.slice(1) : 'Issue reported in thread';
}

function ticketSeverity(request: string): 'low' | 'medium' | 'high' {
  if (mentions(request, ['urgent', 'critical', 'sev1', 'high', 'outage', 'down', 'blocker', 'asap'])) return 'high';
  if (mentions(request, ['minor', 'low', 'cosmetic', 'typo', 'trivial'])) return 'low';
  return 'medium';
}
