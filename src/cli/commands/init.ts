import { initWorkspace, WorkspaceExistsError } from '../../workspace/init-workspace.ts';
import { WORKSPACE_FILE } from '../../workspace/load-workspace.ts';
import { EXIT } from '../exit-codes.ts';
import type { CommandOutput } from '../output.ts';

/** `behalf init DIR`: scaffolds a working workspace and says what to do next. */
export async function initCommand(dir: string, output: CommandOutput): Promise<number> {
  try {
    const files = await initWorkspace(dir);
    output.out(`Created a workspace in ${dir}:`);
    for (const file of files) output.out(`  ${file}`);
    output.out('');
    output.out('Next:');
    output.out(`  behalf serve --workspace ${dir}     # serve it (a sample embedded database answers at once)`);
    output.out(`  edit ${dir}/${WORKSPACE_FILE}          # people, labels, and your PostgreSQL under sources[0].url`);
    output.out(`  behalf doctor --workspace ${dir}    # check everything, with a fix for each problem`);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof WorkspaceExistsError) {
      output.error(error.message);
      return EXIT.usage;
    }
    throw error;
  }
}
