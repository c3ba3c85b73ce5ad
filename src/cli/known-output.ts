/**
 * The fast path of `evals --help`, `evals`, `evals <command> --help` and `--version`: their
 * output is what commander prints, captured at build time (`write-known-output.ts`, run by
 * `npm run build`) into `dist/cli/known-output.json`, so these answers need neither commander
 * nor the program's option table (≈ 40 ms of module loading on a 2-core machine).
 *
 * The captured text is used only when it cannot differ from commander's:
 * - the file records a fingerprint of the compiled program (`program.js` and `version.js`,
 *   everything the help text is made of); a rebuilt program without a re-captured file, or
 *   no file at all (running from source), falls back to commander;
 * - commander wraps help at the terminal's width (80 when the stream is not a terminal); the
 *   text was captured at 80 columns, so any other width falls back to commander too.
 * `test/e2e/known-output.test.ts` checks every entry against commander's own output.
 * `EVALS_NO_KNOWN_OUTPUT=1` turns the fast path off (always ask commander).
 *
 * Imports nothing but `node:fs`: this module is all `evals --help` loads.
 */
import { readFileSync } from 'node:fs';

/** What one argument vector prints and how it exits. */
export interface KnownOutput {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** The file written at build time. */
export interface KnownOutputFile {
  /** `fingerprint()` of the compiled files in `FINGERPRINTED`, in that order. */
  fingerprint: string;
  /** The help width the texts were captured at. */
  width: number;
  /** Keyed by the arguments joined with a space ('' for no arguments). */
  outputs: Record<string, KnownOutput>;
}

/** The compiled modules the help text comes from, relative to `dist/cli/`. */
export const FINGERPRINTED = ['program.js', '../version.js'] as const;

export const KNOWN_OUTPUT_FILE = 'known-output.json';

/** FNV-1a (32 bit) over the texts: cheap enough for every `--help`, and only has to tell builds apart. */
export function fingerprint(texts: readonly string[]): string {
  let h = 0x811c9dc5;
  for (const text of texts) {
    for (let i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    h ^= 0xff;
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** The width commander wraps a stream's help at (its `getOutHelpWidth` / `getErrHelpWidth`). */
export function helpWidthOf(stream: { isTTY?: boolean; columns?: number }, fallback = 80): number {
  return (stream.isTTY ? stream.columns : undefined) ?? fallback;
}

/**
 * The recorded output for `argv`, when the file matches the compiled program and the stream it
 * is written to wraps at the captured width; otherwise undefined (ask commander).
 */
export function pickKnownOutput(
  argv: readonly string[],
  file: KnownOutputFile,
  currentFingerprint: string,
  widths: { stdout: number; stderr: number },
): KnownOutput | undefined {
  if (file.fingerprint !== currentFingerprint) return undefined;
  const key = argv.join(' ');
  const out = Object.prototype.hasOwnProperty.call(file.outputs, key) ? file.outputs[key] : undefined;
  if (!out) return undefined;
  if (out.stdout && widths.stdout !== file.width) return undefined;
  if (out.stderr && widths.stderr !== file.width) return undefined;
  return out;
}

/** Reads the recorded file next to this module and the compiled program; undefined when either is missing. */
function loadKnownOutput(): { file: KnownOutputFile; current: string } | undefined {
  try {
    const file = JSON.parse(readFileSync(new URL(KNOWN_OUTPUT_FILE, import.meta.url), 'utf8')) as KnownOutputFile;
    const current = fingerprint(FINGERPRINTED.map((f) => readFileSync(new URL(f, import.meta.url), 'utf8')));
    return { file, current };
  } catch {
    return undefined;
  }
}

/** The last argument of every recorded argument vector except the empty one. */
const ASKS_FOR_TEXT = new Set(['--help', '-h', '--version', '-v']);

/**
 * Prints the recorded output for `argv` and sets the exit code; false (nothing written) when
 * there is none that is certain to equal commander's.
 */
export function printKnownOutput(argv: readonly string[]): boolean {
  const last = argv[argv.length - 1];
  if (last !== undefined && !ASKS_FOR_TEXT.has(last)) return false;
  if (argv.length > 2 || process.env.EVALS_NO_KNOWN_OUTPUT) return false;
  const loaded = loadKnownOutput();
  if (!loaded) return false;
  const out = pickKnownOutput(argv, loaded.file, loaded.current, {
    stdout: helpWidthOf(process.stdout),
    stderr: helpWidthOf(process.stderr),
  });
  if (!out) return false;
  for (const stream of [process.stdout, process.stderr]) {
    // A reader that goes away (`evals --help | head -1`) is not a failure, as in terminal.ts.
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(0);
      throw err;
    });
  }
  if (out.stdout) process.stdout.write(out.stdout);
  if (out.stderr) process.stderr.write(out.stderr);
  process.exitCode = out.exitCode;
  return true;
}
