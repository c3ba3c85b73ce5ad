/**
 * The `evals` program proper: parses the command line with commander, runs the command, and
 * maps errors to exit codes (0 pass, 1 regression, 2 usage or input error, 3 run error).
 * Commands load their implementation only when invoked. Loaded by main.ts unless the fast path
 * (known-output.ts) already answered.
 */
import { ExitCode } from '../errors.js';
import { createProgram } from './program.js';
import { reportError } from './report-error.js';
import { guardTerminal } from './terminal.js';

async function main(argv: string[]): Promise<number> {
  const program = createProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.ok;
  } catch (err) {
    return reportError(err);
  }
}

/** Runs `evals <argv>` and sets `process.exitCode`. */
export function runMain(argv: string[]): Promise<void> {
  guardTerminal();
  return main(argv).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.exitCode = reportError(err);
    },
  );
}
