/**
 * A small typed reader for untrusted config values: each accessor checks one field and, when
 * it is wrong, throws a ConfigError naming the file, the line (when the source is YAML) and the
 * dotted field path, with what was expected and what was found.
 */
import { ConfigError, excerpt } from '../errors.js';
import { nearestKey } from './suggest.js';

/** Maps a dotted field path to a 1-based line in the config source, when known. */
export type LineOf = (path: Array<string | number>) => number | undefined;

export class Fields {
  constructor(
    readonly file: string,
    private readonly lineOf: LineOf = () => undefined,
  ) {}

  fail(path: Array<string | number>, message: string, expected: string, found: unknown, hint?: string): never {
    const line = this.lineOf(path);
    throw new ConfigError(message, {
      file: this.file,
      ...(line !== undefined ? { line } : {}),
      field: formatPath(path),
      expected,
      found: found === undefined ? 'nothing (the field is missing)' : excerpt(found),
      ...(hint !== undefined ? { hint } : {}),
    });
  }

  object(v: unknown, path: Array<string | number>): Record<string, unknown> {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) this.fail(path, 'must be a mapping', 'a mapping of keys to values', v);
    return v as Record<string, unknown>;
  }

  optObject(v: unknown, path: Array<string | number>): Record<string, unknown> | undefined {
    return v === undefined || v === null ? undefined : this.object(v, path);
  }

  string(v: unknown, path: Array<string | number>): string {
    if (typeof v !== 'string' || v.length === 0) this.fail(path, 'must be a non-empty string', 'a string', v);
    return v;
  }

  optString(v: unknown, path: Array<string | number>): string | undefined {
    return v === undefined || v === null ? undefined : this.string(v, path);
  }

  number(v: unknown, path: Array<string | number>, opts: { min?: number; max?: number; integer?: boolean } = {}): number {
    const ok = typeof v === 'number' && Number.isFinite(v) && (!opts.integer || Number.isInteger(v));
    const range = `${opts.integer ? 'an integer' : 'a number'}${opts.min !== undefined ? ` ≥ ${opts.min}` : ''}${
      opts.max !== undefined ? ` ≤ ${opts.max}` : ''
    }`;
    if (!ok) this.fail(path, `must be ${range}`, range, v);
    if ((opts.min !== undefined && v < opts.min) || (opts.max !== undefined && v > opts.max)) this.fail(path, `must be ${range}`, range, v);
    return v;
  }

  optNumber(v: unknown, path: Array<string | number>, opts: { min?: number; max?: number; integer?: boolean } = {}): number | undefined {
    return v === undefined || v === null ? undefined : this.number(v, path, opts);
  }

  optBoolean(v: unknown, path: Array<string | number>): boolean | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'boolean') this.fail(path, 'must be true or false', 'true or false', v);
    return v;
  }

  array(v: unknown, path: Array<string | number>): unknown[] {
    if (!Array.isArray(v)) this.fail(path, 'must be a list', 'a list', v);
    return v;
  }

  optArray(v: unknown, path: Array<string | number>): unknown[] | undefined {
    return v === undefined || v === null ? undefined : this.array(v, path);
  }

  oneOf<T extends string>(v: unknown, path: Array<string | number>, allowed: readonly T[]): T {
    if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
      this.fail(path, `must be one of ${allowed.join(', ')}`, allowed.join(' | '), v);
    }
    return v as T;
  }

  /** Rejects keys that are not in `known`, so typos surface instead of being ignored, naming the nearest known key. */
  knownKeys(o: Record<string, unknown>, path: Array<string | number>, known: readonly string[]): void {
    for (const key of Object.keys(o)) {
      if (!known.includes(key)) {
        const near = nearestKey(key, known);
        this.fail([...path, key], `unknown option "${key}"`, `one of ${known.join(', ')}`, key, near ? `did you mean "${near}"?` : undefined);
      }
    }
  }
}

export function formatPath(path: Array<string | number>): string {
  return path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '');
}
