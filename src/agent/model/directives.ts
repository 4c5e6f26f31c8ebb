import { answerPlan, callPlan, type ModelPlan } from './model-plan.ts';
import { isRecord } from './tool-outcome.ts';

/** The commands power users (and tests) type to call a tool directly (SPEC §5). */
export const DIRECTIVE_HELP = [
  '`/sql SELECT ...` runs a read-only query on the workspace data source',
  '`/search words` searches the documents you can read',
  '`/tool NAME {json}` calls any tool with exactly those arguments',
] as const;

/**
 * Parses a directive: `/sql <query>`, `/search <words>`, `/tool NAME {json}`. Returns undefined
 * when the request is not a directive. Mistakes (no query, invalid JSON) become plain answers
 * saying what is wrong, never a guessed call.
 */
export function parseDirective(request: string): ModelPlan | undefined {
  const directive = /^\/([a-z_-]+)\b\s*([\s\S]*)$/i.exec(request.trim());
  if (!directive) return undefined;
  const name = (directive[1] ?? '').toLowerCase();
  const rest = (directive[2] ?? '').trim();
  switch (name) {
    case 'sql':
      return rest ? callPlan('sql', { query: rest }) : answerPlan(usage('`/sql` needs a query, e.g. `/sql SELECT 1`.'));
    case 'search':
      return rest
        ? callPlan('search_documents', { query: rest })
        : answerPlan(usage('`/search` needs some words, e.g. `/search handbook`.'));
    case 'tool':
      return parseToolDirective(rest);
    default:
      return answerPlan(usage(`I don't know the command \`/${name}\`.`));
  }
}

function parseToolDirective(rest: string): ModelPlan {
  const match = /^(\S+)\s*([\s\S]*)$/.exec(rest);
  if (!match) return answerPlan(usage('`/tool` needs a tool name, e.g. `/tool get_document {"id": "doc-handbook"}`.'));
  const toolName = match[1] ?? '';
  const json = (match[2] ?? '').trim();
  if (!json) return callPlan(toolName, {});
  let input: unknown;
  try {
    input = JSON.parse(json);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return answerPlan(
      `I did not call \`${toolName}\`: its arguments are not valid JSON (${reason}). ` +
        `Write them as one JSON object, e.g. \`/tool ${toolName} {"key": "value"}\`.`,
    );
  }
  if (!isRecord(input)) {
    return answerPlan(
      `I did not call \`${toolName}\`: its arguments must be a JSON object, like \`{"key": "value"}\`.`,
    );
  }
  return callPlan(toolName, input);
}

function usage(problem: string): string {
  return `${problem} Commands:\n${DIRECTIVE_HELP.map((line) => `- ${line}`).join('\n')}`;
}
