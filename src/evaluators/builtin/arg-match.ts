/**
 * Argument matchers for `tool-called` and `tool-sequence`, compiled from config so a bad regex
 * fails at load time. A wanted value is either plain JSON — compared deep-equal, object key
 * order ignored, and (unless `strictTypes`) a numeric or boolean string equal to its value
 * ("42" = 42, "true" = true) — or a matcher object:
 * `{ $any: true }` (present, any value), `{ $regex: "A\\d+", flags: "i" }` (a string, or a
 * number's text, matching), `{ $number: 42, tolerance: 0.5 }` (within ± tolerance).
 * Top-level `args` are a subset: the call may carry other arguments too.
 */
import type { Fields } from '../../config/fields.js';
import type { Json } from '../../traces/model.js';

export type Matcher = (actual: Json | undefined) => boolean;

type Path = Array<string | number>;

/** Compiles a wanted value (plain JSON or a `$` matcher) into a predicate. */
export function compileMatcher(want: unknown, f: Fields, path: Path, strictTypes: boolean): Matcher {
  if (isObject(want) && Object.keys(want).some((k) => k.startsWith('$'))) return compileOperator(want, f, path);
  if (Array.isArray(want)) {
    const items = want.map((w, i) => compileMatcher(w, f, [...path, i], strictTypes));
    return (a) => Array.isArray(a) && a.length === items.length && items.every((m, i) => m(a[i]));
  }
  if (isObject(want)) {
    const entries = Object.entries(want).map(([k, w]) => [k, compileMatcher(w, f, [...path, k], strictTypes)] as const);
    const keys = new Set(Object.keys(want));
    return (a) => isObject(a) && Object.keys(a).every((k) => keys.has(k)) && entries.every(([k, m]) => m(a[k]));
  }
  return (a) => scalarEquals(a, want as Json, strictTypes);
}

/** Compiles `args` of a tool entry: every listed key must match, other keys are allowed. */
export function compileArgs(args: unknown, f: Fields, path: Path, strictTypes: boolean): Matcher {
  const o = f.object(args, path);
  const entries = Object.entries(o).map(([k, w]) => [k, compileMatcher(w, f, [...path, k], strictTypes)] as const);
  return (raw) => {
    const a = parseArgs(raw);
    return isObject(a) && entries.every(([k, m]) => m(a[k]));
  };
}

/** Tool arguments as JSON: recorded arguments may be a JSON string. */
export function parseArgs(raw: Json | undefined): Json | undefined {
  if (typeof raw !== 'string') return raw;
  try {
    return JSON.parse(raw) as Json;
  } catch {
    return raw;
  }
}

function compileOperator(want: Record<string, unknown>, f: Fields, path: Path): Matcher {
  if ('$any' in want) {
    f.knownKeys(want, path, ['$any']);
    return (a) => a !== undefined;
  }
  if ('$regex' in want) {
    f.knownKeys(want, path, ['$regex', 'flags']);
    const pattern = f.string(want.$regex, [...path, '$regex']);
    const flags = f.optString(want.flags, [...path, 'flags']) ?? '';
    let re: RegExp;
    try {
      re = new RegExp(pattern, flags.replace('g', ''));
    } catch (err) {
      f.fail([...path, '$regex'], `is not a valid regular expression (${(err as Error).message})`, 'a JavaScript regular expression', pattern);
    }
    return (a) => (typeof a === 'string' || typeof a === 'number') && re.test(String(a));
  }
  if ('$number' in want) {
    f.knownKeys(want, path, ['$number', 'tolerance']);
    const n = f.number(want.$number, [...path, '$number']);
    const tol = f.optNumber(want.tolerance, [...path, 'tolerance'], { min: 0 }) ?? 0;
    return (a) => {
      const v = typeof a === 'number' ? a : typeof a === 'string' && a.trim() !== '' ? Number(a) : NaN;
      return Number.isFinite(v) && Math.abs(v - n) <= tol;
    };
  }
  return f.fail(path, 'unknown matcher', '{ $any: true }, { $regex, flags }, { $number, tolerance } or a plain value', want);
}

function scalarEquals(a: Json | undefined, want: Json, strictTypes: boolean): boolean {
  if (a === want) return true;
  if (strictTypes || a === undefined) return false;
  if (typeof want === 'number' && typeof a === 'string') return a.trim() !== '' && Number(a) === want;
  if (typeof want === 'string' && typeof a === 'number') return want.trim() !== '' && Number(want) === a;
  if (typeof want === 'boolean' && typeof a === 'string') return a === String(want);
  if (typeof want === 'string' && typeof a === 'boolean') return want === String(a);
  return false;
}

function isObject(v: unknown): v is Record<string, Json> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
