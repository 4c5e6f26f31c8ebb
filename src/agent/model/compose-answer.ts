import type { ObservedToolResult } from './conversation.ts';
import { describeContent } from './describe-content.ts';

/**
 * The final answer for a request from the results of the calls made for it, one section per
 * result in order, each read against the request (or the part of it) its call answers. Results are
 * data: text inside them is quoted or tabulated, never obeyed.
 */
export function composeAnswer(
  request: string | ((result: ObservedToolResult) => string),
  results: readonly ObservedToolResult[],
): string {
  const requestFor = typeof request === 'string' ? () => request : request;
  // When a search led to reading a document, the document is the answer; the hit list is noise.
  const readDocument = results.some((result) => result.toolName === 'get_document' && result.outcome.kind === 'ok');
  const shown = readDocument ? results.filter((result) => result.toolName !== 'search_documents') : results;
  return shown.map((result) => describeResult(requestFor(result), result)).join('\n\n');
}

function describeResult(request: string, result: ObservedToolResult): string {
  const tool = `\`${result.toolName}\``;
  const outcome = result.outcome;
  if (outcome.kind === 'ok') return describeContent(request, result.toolName, outcome);
  const reason = outcome.message.trim() || 'no reason was given';
  switch (outcome.code) {
    case 'denied': {
      if (outcome.policies.length === 0)
        return `Access denied: your request to use ${tool} was refused. Reason: ${reason}`;
      const policies = `${outcome.policies.length > 1 ? 'policies' : 'policy'} ${outcome.policies.map((id) => `\`${id}\``).join(', ')}`;
      return `Access denied: your request to use ${tool} was refused by ${policies}. Reason: ${reason}`;
    }
    case 'approval_denied':
      return `The ${tool} call was not approved, so I did not run it. (${reason})`;
    case 'invalid_arguments':
      return `The ${tool} call was rejected because its arguments were invalid: ${reason}`;
    case 'unknown_tool':
      return `I could not run ${tool}: there is no such tool available to me. (${reason})`;
    case 'timeout':
      return `The ${tool} call timed out: ${reason}`;
    case 'audit_unavailable':
      return `The ${tool} call was not made because the audit log is unavailable: ${reason}`;
    default:
      return `The ${tool} call failed: ${reason}`;
  }
}
