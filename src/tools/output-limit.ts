/** Default cap on a tool result as seen by the model, in characters of JSON. */
export const DEFAULT_MAX_OUTPUT_CHARS = 32_000;

/**
 * Caps oversized tool output. The model gets a preview with an explicit marker instead of the
 * whole result, so a huge result can neither exhaust the context nor slip through unnoticed.
 */
export function limitOutput(
  content: unknown,
  maxChars = DEFAULT_MAX_OUTPUT_CHARS,
): { content: unknown; truncated: boolean } {
  const json = JSON.stringify(content) ?? 'null';
  if (json.length <= maxChars) return { content, truncated: false };
  return {
    content: {
      truncated: true,
      preview: `${json.slice(0, maxChars)}… [truncated ${json.length - maxChars} characters]`,
    },
    truncated: true,
  };
}
