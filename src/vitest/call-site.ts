/**
 * Where a failure should point. A test's body lives in this package, so its errors' stacks name
 * no line of the user's test file, and Vitest's reporters (the code frame, the GitHub Actions
 * `::error` annotation) look for such a line. The `describeSuite()` call in the test file is the
 * line to show: its frame is found once, at collection, and put at the top of each failure's stack.
 */
import { pathToFileURL } from 'node:url';

/** The first `at …` line of `stack` that names `file` (a path or its file:// URL); undefined if none. */
export function frameIn(file: string, stack: string | undefined): string | undefined {
  const url = pathToFileURL(file).href;
  return (stack ?? '').split('\n').find((line) => /^\s*at /.test(line) && (line.includes(url) || line.includes(file)));
}

/** `err` with `frame` as the top of its stack (the message and the original frames kept). */
export function pointAt<E extends Error>(err: E, frame: string | undefined): E {
  if (frame === undefined) return err;
  const frames = (err.stack ?? '').split('\n').filter((l) => /^\s*at /.test(l));
  err.stack = [`${err.name}: ${err.message}`, frame, ...frames].join('\n');
  return err;
}
