/**
 * Build step (`npm run build`, after tsc): runs the compiled program's parser on every argument
 * vector that only prints text (`evals`, `--help`, `-h`, `--version`, `-v`, `<command> --help`)
 * with commander's output captured at 80 columns, and writes what it printed and the exit code
 * `main` would return to `dist/cli/known-output.json` (read by `known-output.ts`).
 * A command whose help is not commander's (its handler runs, as for `datasets`) is left out.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { FINGERPRINTED, KNOWN_OUTPUT_FILE, fingerprint, type KnownOutput, type KnownOutputFile } from './known-output.js';
import { createProgram, type Handlers } from './program.js';
import { reportError } from './report-error.js';

const WIDTH = 80;

/** Every handler, so that a new one cannot be forgotten (the type demands each key). */
const HANDLER_NAMES: Record<keyof Handlers, true> = {
  snapshot: true, run: true, inspect: true, merge: true, compare: true, report: true, fakeProvider: true, datasets: true, init: true,
};

/** Every handler marks that it ran: such an argument vector is not pure commander output. */
function stubHandlers(onRun: () => void): Handlers {
  const stub = async (): Promise<never> => {
    onRun();
    throw new Error('a command ran');
  };
  return Object.fromEntries(Object.keys(HANDLER_NAMES).map((name) => [name, stub])) as unknown as Handlers;
}

function configure(cmd: Command, sink: { stdout: string; stderr: string }): void {
  cmd.configureOutput({
    writeOut: (s) => void (sink.stdout += s),
    writeErr: (s) => void (sink.stderr += s),
    getOutHelpWidth: () => WIDTH,
    getErrHelpWidth: () => WIDTH,
    getOutHasColors: () => false,
    getErrHasColors: () => false,
  });
  for (const sub of cmd.commands) configure(sub, sink);
}

/** What `evals <argv>` prints through commander, or undefined when a command handler runs. */
async function captureOutput(argv: string[]): Promise<KnownOutput | undefined> {
  let ran = false;
  const sink = { stdout: '', stderr: '' };
  const program = createProgram(stubHandlers(() => (ran = true)));
  configure(program, sink);
  let exitCode: number;
  try {
    await program.parseAsync(argv, { from: 'user' });
    return undefined;
  } catch (err) {
    exitCode = reportError(err, () => undefined);
  }
  return ran ? undefined : { ...sink, exitCode };
}

/** The argument vectors the fast path may answer. */
function knownArgvs(): string[][] {
  const commands = createProgram().commands.map((c) => c.name());
  const asks = [['--help'], ['-h'], ['--version'], ['-v']];
  return [[], ...asks, ...commands.flatMap((c) => [[c, '--help'], [c, '-h']])];
}

async function buildKnownOutput(fingerprinted: string[]): Promise<KnownOutputFile> {
  const outputs: Record<string, KnownOutput> = {};
  for (const argv of knownArgvs()) {
    const out = await captureOutput(argv);
    if (out) outputs[argv.join(' ')] = out;
  }
  return { fingerprint: fingerprint(fingerprinted), width: WIDTH, outputs };
}

const compiled = FINGERPRINTED.map((f) => readFileSync(new URL(f, import.meta.url), 'utf8'));
const file = await buildKnownOutput(compiled);
writeFileSync(new URL(KNOWN_OUTPUT_FILE, import.meta.url), `${JSON.stringify(file)}\n`);
