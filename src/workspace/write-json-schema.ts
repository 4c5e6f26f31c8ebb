import { writeFile } from 'node:fs/promises';
import { workspaceJsonSchema } from './workspace-config.ts';

/** The published schema file's text: stable key order, two-space indent, final newline. */
export function workspaceJsonSchemaText(): string {
  return `${JSON.stringify(workspaceJsonSchema(), null, 2)}\n`;
}

// `npx tsx src/workspace/write-json-schema.ts` regenerates schema/behalf.schema.json after the
// zod schema changes (a test fails until it is regenerated).
if (import.meta.url === `file://${process.argv[1]}`) {
  await writeFile(new URL('../../schema/behalf.schema.json', import.meta.url), workspaceJsonSchemaText());
}
