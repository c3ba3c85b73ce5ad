/**
 * The terminal boundary of the `evals` executable: everything written to stdout and stderr
 * passes the secret scrubber (secrets/scrub.ts), and a reader that goes away (`evals inspect …
 * | head`) ends the process quietly with exit 0 instead of an EPIPE crash.
 */
import { scrubText } from '../secrets/scrub.js';

type Write = typeof process.stdout.write;

function isEpipe(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | undefined)?.code === 'EPIPE';
}

/** Installs the scrubbing writers and the EPIPE handler on `process.stdout` and `process.stderr`. */
export function guardTerminal(): void {
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]): boolean => {
      try {
        return write(typeof chunk === 'string' ? scrubText(chunk) : chunk, ...rest);
      } catch (err) {
        if (isEpipe(err)) quit();
        throw err;
      }
    }) as Write;
    stream.on('error', (err: unknown) => {
      if (isEpipe(err)) quit();
      throw err;
    });
  }
}

/** The reader is gone: nothing more can be shown, and that is not a failure. */
function quit(): never {
  process.exit(0);
}
