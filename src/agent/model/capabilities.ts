import { DIRECTIVE_HELP } from './directives.ts';
import type { DescribedTable } from './table-requests.ts';

/**
 * The offline model's help, and its answer when it cannot tell what was asked: what it can do,
 * each with an example it really answers, only for the tools it can use in this call (the tools
 * the requester may use here), and what it cannot do.
 */
export function capabilitiesAnswer(
  toolNames: readonly string[],
  preface?: string,
  tables: readonly DescribedTable[] = [],
): string {
  const has = (name: string) => toolNames.includes(name);
  const sqlTables = tables.filter((entry) => entry.tool === 'sql').map((entry) => entry.name);
  const table = (name: string) => has('sql') && (sqlTables.length === 0 || sqlTables.includes(name));
  const vocabularyTables = new Set(['deals', 'incidents', 'compensation', 'employees']);
  const otherTables = tables.filter((entry) => !vocabularyTables.has(entry.name)).map((entry) => entry.name);
  // The example documents are the demo's: elsewhere the examples name no document, since the
  // model knows none before a search (it never lists what the requester may not read).
  const demo = tables.some((entry) => vocabularyTables.has(entry.name));
  const example = demo
    ? {
        search: 'find the outage postmortem',
        quote: 'what does the handbook say about parental leave?',
        open: '("show doc-handbook")',
      }
    : {
        search: 'find the documents about holidays',
        quote: 'what do the documents say about holidays?',
        open: '(`/tool get_document {"id": "…"}` with an id a search showed)',
      };
  const abilities = [
    table('deals') && 'list, count and total deals by region, stage or owner ("what\'s our open EMEA pipeline worth?")',
    table('incidents') && 'find incidents by severity and status ("how many sev2 incidents are still open?")',
    table('compensation') && 'look up salaries and bonuses you are allowed to see ("how much does Carol make?")',
    table('employees') && 'look people up in the directory ("who reports to Erin?")',
    otherTables.length > 0 &&
      `list or count the rows you may see in ${otherTables.map((name) => `\`${name}\``).join(', ')} ("how many ${otherTables[0]?.split('.').pop()?.replace(/_/g, ' ')}?")`,
    has('search_documents') && `search the documents you can read ("${example.search}")`,
    has('search_documents') && has('get_document') && `quote what a document says about a topic ("${example.quote}")`,
    has('get_document') && `open a document by id ${example.open}`,
    has('create_ticket') && 'file a ticket once you approve it ("file a ticket: VPN is down")',
    'summarize the part of this thread you can see ("summarize this thread")',
  ].filter((ability): ability is string => typeof ability === 'string');
  const lines = [
    preface ?? "I'm Behalf's offline assistant and I'm not sure what you're asking.",
    '',
    'I can:',
    ...abilities.map((ability) => `- ${ability}`),
    '',
    'I match your words to the tables and documents of this workspace; I do not understand free-form questions the way a large model does. ' +
      'I see only what the permissions I act with allow: in a user-authorized thread, yours.',
    '',
    'Commands:',
    ...DIRECTIVE_HELP.map((line) => `- ${line}`),
  ];
  if (toolNames.length > 0)
    lines.push('', `Tools available here: ${toolNames.map((name) => `\`${name}\``).join(', ')}.`);
  return lines.join('\n');
}
