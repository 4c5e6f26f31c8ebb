/** Where a command writes: results to stdout, progress and diagnostics to stderr. */
export interface CommandOutput {
  out(line: string): void;
  progress(line: string): void;
  error(line: string): void;
}

export const consoleOutput: CommandOutput = {
  out: (line) => process.stdout.write(`${line}\n`),
  progress: (line) => process.stderr.write(`${line}\n`),
  error: (line) => process.stderr.write(`error: ${line}\n`),
};
