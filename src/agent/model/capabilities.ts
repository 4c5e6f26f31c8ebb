import { DIRECTIVE_HELP } from './directives.ts';

/**
 * The offline model's answer when it cannot tell what was asked: what it can do, with examples,
 * and which tools it can use in this call (the tools the requester may use here).
 */
export function capabilitiesAnswer(toolNames: readonly string[], preface?: string): string {
  const has = (name: string) => toolNames.includes(name);
  const abilities = [
    has('sql') && 'answer questions about salaries, deals and incidents (e.g. "what are the EMEA deals?")',
    has('sql') && 'look people up in the directory ("who reports to Erin?")',
    has('search_documents') && 'search documents ("find the employee handbook") and summarize them',
    has('get_document') && 'open a document by id ("show doc-handbook")',
    has('create_ticket') && 'file tickets ("file a ticket: VPN is down")',
  ].filter((ability): ability is string => typeof ability === 'string');
  const lines = [
    preface ?? "I'm Behalf's offline assistant and I'm not sure what you're asking.",
    '',
    abilities.length > 0 ? 'I can:' : 'I have no tools I can use for you here.',
    ...abilities.map((ability) => `- ${ability}`),
    '',
    'Commands:',
    ...DIRECTIVE_HELP.map((line) => `- ${line}`),
  ];
  if (toolNames.length > 0)
    lines.push('', `Tools available here: ${toolNames.map((name) => `\`${name}\``).join(', ')}.`);
  return lines.join('\n');
}
