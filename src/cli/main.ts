#!/usr/bin/env node
/**
 * The `evals` executable: parses the command line, runs the command, and maps errors to exit
 * codes (0 pass, 1 regression, 2 usage or input error, 3 run error). Commands load their
 * implementation only when invoked, so `evals --help` stays fast.
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

guardTerminal();
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.exitCode = reportError(err);
  },
);
