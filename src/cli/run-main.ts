/**
 * The `evals` program proper: parses the command line with commander, runs the command, and
 * maps errors to exit codes (0 pass, 1 regression, 2 usage or input error, 3 run error).
 * Commands load their implementation only when invoked. Loaded by main.ts unless the fast path
 * (known-output.ts) already answered.
 */
import { setFlagsFromString } from 'node:v8';
import { ExitCode } from '../errors.js';
import { heapGrowingGiven } from './collect-garbage.js';
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

/**
 * How far (percent) V8 lets the heap grow beyond what survived the last full collection before
 * collecting again. V8's own factor goes up to 4× in a process that allocates fast, and a run
 * allocates fast: at 50,000 cases the live data stayed under 120 MB while the heap grew to
 * several times that in garbage, and a 100,000-case run peaked at 1.2 GB RSS. Measured on the
 * run benchmark's suite: at 10,000 cases peak RSS 230–250 MB → 170–185 MB (CPU within the
 * noise), at 50,000 cases 671 → 449 MB for about 10% more CPU (100% gave 524 MB at the
 * default's CPU; bench/README.md). A `--heap-growing-percent` given to node itself wins.
 */
export const HEAP_GROWING_PERCENT = 50;

function tuneHeap(): void {
  if (!heapGrowingGiven()) setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}

/** Runs `evals <argv>` and sets `process.exitCode`. */
export function runMain(argv: string[]): Promise<void> {
  guardTerminal();
  tuneHeap();
  return main(argv).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.exitCode = reportError(err);
    },
  );
}
