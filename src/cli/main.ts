#!/usr/bin/env node
/**
 * The `evals` executable: parses the command line, runs the command, and maps errors to exit
 * codes (0 pass, 1 regression, 2 usage or input error, 3 run error). Commands load their
 * implementation only when invoked, so `evals --help` stays fast.
 */
import { CommanderError } from 'commander';
import { EvalsError, ExitCode, ExitError } from '../errors.js';
import { createProgram } from './program.js';
import { guardTerminal } from './terminal.js';
import { isStackOverflow } from '../input-limits.js';

async function main(argv: string[]): Promise<number> {
  const program = createProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.ok;
  } catch (err) {
    return reportError(err);
  }
}

/** Prints an error the way a user can act on it and returns the exit code. */
export function reportError(err: unknown): number {
  if (err instanceof ExitError) return err.exitCode;
  if (err instanceof CommanderError) {
    // commander already printed its message (unknown option, missing argument, --help).
    return err.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  }
  if (isStackOverflow(err)) {
    // Some input nested beyond what a walk over it can follow: bad input, not a bug.
    process.stderr.write('evals: the input is nested too deeply to process (a JSON value or span parent chain thousands of levels deep)\n  hint:     check the file for a corrupted or hostile record; rerun with EVALS_DEBUG=1 for details\n');
    if (process.env.EVALS_DEBUG) process.stderr.write(`${(err as Error).stack}\n`);
    return ExitCode.usage;
  }
  if (err instanceof EvalsError) {
    process.stderr.write(`evals: ${err.message}\n`);
    if (process.env.EVALS_DEBUG && err.cause) process.stderr.write(`${String((err.cause as Error).stack ?? err.cause)}\n`);
    return err.exitCode;
  }
  const e = err as Error;
  process.stderr.write(`evals: internal error: ${e?.stack ?? String(err)}\nThis is a bug in evals; please report it with the command you ran.\n`);
  return ExitCode.runError;
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
