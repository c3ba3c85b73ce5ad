/**
 * The fuzz suite's harness: seeded mutators (text-level and JSON-level) and a guarded call that
 * runs one input through the CLI's code path under a deadline and maps the outcome to the exit
 * code the executable would give (through the CLI's own reportError). The property every case
 * asserts: exit 0, or exit 2 with a message naming the file and a line or field; never exit 3
 * (an internal error and its stack trace), never a hang.
 */
import path from 'node:path';
import { expect } from 'vitest';
import { reportError } from '../../src/cli/report-error.js';
import { seededRandom } from '../../src/prng.js';

export type Rnd = () => number;

/** A seeded generator; `FUZZ_SEED` overrides the suite's fixed seed to explore further. */
export function rng(seed: number): Rnd {
  return seededRandom(Number(process.env.FUZZ_SEED ?? seed));
}

const pick = <T>(rnd: Rnd, list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
const int = (rnd: Rnd, n: number): number => Math.floor(rnd() * n);

const JUNK = ['{', '}', '[', ']', '"', ':', ',', '\\', '\n', '\u0000', '\uFEFF', '\uD800', 'null', '-1', '1e999', '0x10', '${NOPE}', '*', '&a', '!!binary', '\t', '#', '- '];

/** One random text edit: delete, insert junk, duplicate, truncate, or swap two lines. */
export function mutateText(text: string, rnd: Rnd): string {
  const at = int(rnd, text.length + 1);
  switch (int(rnd, 6)) {
    case 0:
      return text.slice(0, at) + text.slice(at + 1 + int(rnd, 20));
    case 1:
      return text.slice(0, at) + pick(rnd, JUNK) + text.slice(at);
    case 2: {
      const len = int(rnd, 200);
      return text.slice(0, at) + text.slice(at, at + len) + text.slice(at);
    }
    case 3:
      return text.slice(0, at);
    case 4: {
      const lines = text.split('\n');
      const i = int(rnd, lines.length);
      const j = int(rnd, lines.length);
      [lines[i], lines[j]] = [lines[j] as string, lines[i] as string];
      return lines.join('\n');
    }
    default:
      return text.replace(/"[^"]*"/, () => JSON.stringify(pick(rnd, JUNK)));
  }
}

/** A random replacement value: wrong types, extremes, deep nesting, huge strings. */
export function randomValue(rnd: Rnd): unknown {
  switch (int(rnd, 12)) {
    case 0: return null;
    case 1: return -1;
    case 2: return 1e308;
    case 3: return '';
    case 4: return 'x'.repeat(10_000);
    case 5: return {};
    case 6: return [];
    case 7: return true;
    case 8: return '12345';
    case 9: {
      let v: unknown = 'leaf';
      for (let i = 0, n = 50 + int(rnd, 600); i < n; i++) v = rnd() < 0.5 ? [v] : { k: v };
      return v;
    }
    case 10: return [null, 1, 'a', {}];
    default: return { __proto__: 'x', constructor: 1 } as unknown;
  }
}

/** One random edit of a parsed JSON value (in place on a copy): replace, delete or add a member. */
export function mutateJson(value: unknown, rnd: Rnd): unknown {
  const root = structuredClone(value) as unknown;
  const containers: Array<Record<string, unknown> | unknown[]> = [];
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v !== null && typeof v === 'object') {
      containers.push(v as Record<string, unknown>);
      for (const x of Object.values(v)) stack.push(x);
    }
  }
  if (containers.length === 0) return randomValue(rnd);
  const target = pick(rnd, containers);
  const keys = Object.keys(target);
  const key = keys.length > 0 ? pick(rnd, keys) : '0';
  const op = int(rnd, 3);
  if (op === 0 && keys.length > 0) {
    if (Array.isArray(target)) target.splice(Number(key), 1);
    else delete target[key];
  } else if (op === 1) (target as Record<string, unknown>)[`x${int(rnd, 9)}`] = randomValue(rnd);
  else (target as Record<string, unknown>)[key] = randomValue(rnd);
  return root;
}

/** What the executable would have done with one input. */
export interface Outcome {
  code: number;
  stderr: string;
}

/** Runs `fn` under `deadlineMs`; a hang is code -1. Errors go through the CLI's reportError. */
export async function guarded(fn: () => Promise<unknown>, deadlineMs = 5_000): Promise<Outcome> {
  let stderr = '';
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<'hang'>((r) => (timer = setTimeout(() => r('hang'), deadlineMs)));
  try {
    const r = await Promise.race([fn().then(() => 'ok' as const), hang]);
    return r === 'hang' ? { code: -1, stderr: `no result within ${deadlineMs} ms` } : { code: 0, stderr };
  } catch (err) {
    const code = reportError(err, (t) => (stderr += t));
    return { code, stderr };
  } finally {
    clearTimeout(timer);
  }
}

/** The property: exit 0, or exit 2 naming the file and a line or field; never 3, a stack or a hang. */
export function expectClean(o: Outcome, file: string, input: string): void {
  const context = `${o.stderr}\n--- input (first 300 chars):\n${input.slice(0, 300)}`;
  expect(o.code, context).not.toBe(-1);
  expect([0, 2], context).toContain(o.code);
  expect(o.stderr, context).not.toMatch(/internal error|This is a bug|\n\s+at .+:\d+:\d+/);
  if (o.code === 2) {
    expect(o.stderr, context).toContain(path.basename(file));
    expect(o.stderr, context).toMatch(/line \d+|field [^\s]+|nested too deeply/);
  }
}

/** Silences process.stderr (warnings of the commands) while `fn` runs. */
export async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    return await fn();
  } finally {
    process.stderr.write = write;
  }
}
