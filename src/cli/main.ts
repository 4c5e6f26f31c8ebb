import { Command, CommanderError, Option } from 'commander';
import { defaultWorkspaceDir } from '../app/default-workspace.ts';
import { isAppError } from '../protocol/errors.ts';
import { auditCheckpointCommand, auditExportCommand, auditVerifyCommand, UsageError } from './commands/audit.ts';
import { BENCHES, benchCommand } from './commands/bench.ts';
import { doctorCommand } from './commands/doctor.ts';
import { documentsSyncCommand } from './commands/documents.ts';
import { governanceCommand } from './commands/governance.ts';
import { initCommand } from './commands/init.ts';
import { keysListCommand, keysRotateCommand } from './commands/keys.ts';
import { policyCheckCommand } from './commands/policy-check.ts';
import { policyTestCommand } from './commands/policy-test.ts';
import { policyValidateCommand } from './commands/policy-validate.ts';
import { seedCommand } from './commands/seed.ts';
import { serveCommand } from './commands/serve.ts';
import { EXIT } from './exit-codes.ts';
import { DEFAULT_DATA_DIR, parsePort } from './options.ts';
import { type CommandOutput, consoleOutput } from './output.ts';

/** Builds the `behalf` command line (SPEC §7). Each action resolves to an exit code. */
export function buildProgram(output: CommandOutput, setExitCode: (code: number) => void): Command {
  const program = new Command('behalf')
    .description('Behalf: user-authorized multiplayer AI — a shared agent that acts on behalf of whoever asked.')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: (text) => output.out(text.trimEnd()),
      writeErr: (text) => output.progress(text.trimEnd()),
    });
  const run = (action: () => Promise<number>) => async () => setExitCode(await action());
  const dataOption = () =>
    new Option('--data <dir>', 'data directory of the embedded deployment').default(DEFAULT_DATA_DIR);
  // Resolved when a command runs, not when the program is built: `--help` needs no package.json.
  const workspaceOption = () =>
    new Option(
      '--workspace <dir>',
      'the workspace directory holding behalf.yaml (default: package.json behalf.defaultWorkspace)',
    ).env('BEHALF_WORKSPACE');
  const withWorkspace = <T extends { workspace?: string }>(options: T) => ({
    ...options,
    workspace: options.workspace ?? defaultWorkspaceDir(),
  });

  program
    .command('serve')
    .description(
      'serve the web app, API and agent for a workspace (default: the example workspace on SQLite, no API key)',
    )
    .addOption(new Option('--port <port>', 'TCP port').default(8787).argParser(parsePort))
    .addOption(new Option('--host <host>', 'interface to listen on').default('127.0.0.1'))
    .addOption(dataOption())
    .addOption(workspaceOption())
    .action((options) => run(() => serveCommand(withWorkspace(options), output))());

  program
    .command('init')
    .description('create a working workspace in DIR: behalf.yaml with comments, a sample database, policies, documents')
    .argument('<dir>', 'directory to create (must not hold a workspace)')
    .action((dir) => run(() => initCommand(dir, output))());

  program
    .command('doctor')
    .description(
      'check a workspace (config, policies, sources, people, documents, tools) and print a fix for each problem; exit 1 if any',
    )
    .addOption(workspaceOption())
    .addOption(dataOption())
    .option('--json', 'print the findings as JSON')
    .action((options) => run(() => doctorCommand(withWorkspace(options), output))());

  program
    .command('seed')
    .description("bring the deployment up to the workspace's people, documents, agent identities and threads")
    .addOption(dataOption())
    .addOption(workspaceOption())
    .action((options) => run(() => seedCommand(withWorkspace(options), output))());

  const audit = program.command('audit').description('the tamper-evident audit log');
  audit
    .command('verify')
    .description(
      'verify the hash chain and its signed checkpoints; exit 1 if any record was edited, removed, inserted or reordered',
    )
    .addOption(dataOption())
    .option('--anchor <seq:hash>', 'also require this record (printed by an earlier verify) to be unchanged')
    .option('--json', 'print the result as JSON')
    .action((options) => run(() => auditVerifyCommand(options, output))());
  audit
    .command('checkpoint')
    .description('verify the chain, then sign its head into the checkpoint file (a server does this every minute)')
    .addOption(dataOption())
    .option('--json', 'print the written checkpoint as JSON')
    .action((options) => run(() => auditCheckpointCommand(options, output))());
  audit
    .command('export')
    .description('export the log as JSON lines or OpenTelemetry-shaped spans')
    .addOption(new Option('--format <format>', 'output format').choices(['jsonl', 'otel']).default('jsonl'))
    .option('--output <file>', 'write to a file instead of stdout')
    .addOption(dataOption())
    .action((options) => run(() => auditExportCommand(options, output))());

  const policy = program.command('policy').description('the Cedar policies in force');
  policy
    .command('check')
    .description('one authorization decision, with the policies that made it; exit 1 on deny')
    .requiredOption('--user <id>', 'principal: a user id, or agent:<threadId> for a self-authorized agent')
    .requiredOption('--action <action>', 'e.g. readLabel, useTool, readDocument, invokeAgent')
    .requiredOption('--resource <resource>', 'e.g. label:hr-confidential, tool:sql, thread:thr_q3_planning')
    .option('--via-agent', "the agent acts on the principal's behalf")
    .option('--json', 'print the decision as JSON')
    .addOption(dataOption())
    .action((options) => run(() => policyCheckCommand(options, output))());

  policy
    .command('validate')
    .description(
      "validate the workspace's policies (Behalf's, the label catalogue's, policies/); exit 3 if they do not",
    )
    .addOption(workspaceOption())
    .option('--json', 'print the result as JSON')
    .action((options) => run(() => policyValidateCommand(withWorkspace(options), output))());
  policy
    .command('test')
    .description(
      'run policy test cases (expected decisions) against the workspace; exit 1 if any fails, 3 if the policies do not validate',
    )
    .argument('<file>', 'YAML or JSON file of cases')
    .addOption(workspaceOption())
    .option('--json', 'print the results as JSON')
    .action((file, options) => run(() => policyTestCommand({ ...withWorkspace(options), file }, output))());

  const documents = program.command('documents').description('the workspace document folders');
  documents
    .command('sync')
    .description('index the workspace document folders into the store (add, update, remove); exit 1 if any problem')
    .addOption(workspaceOption())
    .addOption(dataOption())
    .option('--json', 'print the report as JSON')
    .action((options) => run(() => documentsSyncCommand(withWorkspace(options), output))());

  const keys = program.command('keys').description('the Ed25519 keys that sign delegation grants');
  keys
    .command('rotate')
    .description('sign with a new key; the old one verifies until its grants expire')
    .addOption(dataOption())
    .action((options) => run(() => keysRotateCommand(options, output))());
  keys
    .command('list')
    .description('the public keys that verify grants (the JWKS)')
    .option('--json', 'print the JWKS document')
    .addOption(dataOption())
    .action((options) => run(() => keysListCommand(options, output))());

  program
    .command('governance')
    .description('compare user-authorized and self-authorized designs on this deployment (SPEC §9)')
    .option('--json', 'print the report as JSON')
    .addOption(dataOption())
    .action((options) => run(() => governanceCommand(options, output))());

  program
    .command('bench')
    .description(`run a benchmark (${Object.keys(BENCHES).join(', ')}); all when no name is given`)
    .argument('[name]', 'benchmark name')
    .option('--json', 'last line of output is the result as one JSON object')
    .option('--quick', 'fewer iterations (smoke test)')
    .addOption(workspaceOption())
    .action((name, options) => run(() => benchCommand(name, options, output))());

  return program;
}

/** Runs the CLI; returns the process exit code. */
export async function main(argv: string[], output: CommandOutput = consoleOutput): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = buildProgram(output, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with code 0; parse errors are usage errors.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof UsageError) {
      output.error(error.message);
      return EXIT.usage;
    }
    output.error(isAppError(error) || error instanceof Error ? error.message : String(error));
    return EXIT.failure;
  }
}
