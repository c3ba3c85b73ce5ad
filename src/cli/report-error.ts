/**
 * How the CLI ends on an error: the message a user can act on, and the exit code. Kept apart
 * from main.ts (which runs on import) so tests and the fuzz suite map errors exactly as the
 * executable does.
 */
import { CommanderError } from 'commander';
import { EvalsError, ExitCode, ExitError } from '../errors.js';
import { isStackOverflow } from '../input-limits.js';

/** Prints (through `write`) an error the way a user can act on it and returns the exit code. */
export function reportError(err: unknown, write: (text: string) => void = (t) => void process.stderr.write(t)): number {
  if (err instanceof ExitError) return err.exitCode;
  if (err instanceof CommanderError) {
    // commander already printed its message (unknown option, missing argument, --help).
    return err.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  }
  if (isStackOverflow(err)) {
    // Some input nested beyond what a walk over it can follow: bad input, not a bug.
    write('evals: the input is nested too deeply to process (a JSON value or span parent chain thousands of levels deep)\n  hint:     check the file for a corrupted or hostile record; rerun with EVALS_DEBUG=1 for details\n');
    if (process.env.EVALS_DEBUG) write(`${(err as Error).stack}\n`);
    return ExitCode.usage;
  }
  if (err instanceof EvalsError) {
    write(`evals: ${err.message}\n`);
    if (process.env.EVALS_DEBUG && err.cause) write(`${String((err.cause as Error).stack ?? err.cause)}\n`);
    return err.exitCode;
  }
  const e = err as Error;
  write(`evals: internal error: ${e?.stack ?? String(err)}\nThis is a bug in evals; please report it with the command you ran.\n`);
  return ExitCode.runError;
}
