import { describe, expect, it } from 'vitest';
import { builtinTools } from '../../src/tools/builtin/index.ts';
import { BUILT_IN_TOOLS } from '../../src/workspace/workspace-references.ts';

/**
 * The workspace layer may not import the tools layer, so `workspace-references.ts` names the
 * built-in tools by hand (a source's tool or action may not take one). This ties that list to
 * the tools Behalf actually offers when no source is configured.
 */
describe('the reserved tool names of workspace references', () => {
  it('are exactly the built-in tools offered without a SQL source', () => {
    // Building the definitions touches none of the stores; they are only used on execution.
    const unused = {} as never;
    const tools = builtinTools({
      documents: unused,
      messages: unused,
      runs: unused,
      visibility: unused,
      policy: unused,
      grants: unused,
      memory: { store: unused, clock: unused, ids: unused },
    });
    expect(new Set(tools.map((tool) => tool.name))).toEqual(new Set(BUILT_IN_TOOLS));
  });
});
