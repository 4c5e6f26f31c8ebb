import { fileURLToPath } from 'node:url';
import { loadWorkspace } from '../../workspace/load-workspace.ts';
import type { FairUseSettings } from '../fair-use.ts';
import type { SqlDataSource } from '../types.ts';
import { workspaceSourceTemplate } from '../workspace/source-template.ts';

/**
 * Kept only because `src/bench/fairness-bench.ts` imports it, and `src/bench` is being reworked
 * separately (its owner moves the example data out, issue 9): the first source of
 * `examples/acme` as a template, through the generic workspace path. Delete it with that change.
 */
export async function acmeSourceTemplate(): Promise<{
  clone(options?: { fairUse?: Partial<FairUseSettings> }): Promise<SqlDataSource & { readonly restarts: number }>;
}> {
  const workspaceDir = fileURLToPath(new URL('../../../examples/acme/', import.meta.url));
  const { config } = await loadWorkspace(workspaceDir);
  const spec = config.sources[0];
  if (!spec) throw new Error('examples/acme declares no source');
  const template = await workspaceSourceTemplate(spec, { workspaceDir });
  return {
    clone: async (options) => {
      const { source } = await template.clone(options);
      return Object.defineProperty(source, 'restarts', { get: () => source.restarts ?? 0 }) as SqlDataSource & {
        readonly restarts: number;
      };
    },
  };
}
