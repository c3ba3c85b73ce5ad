/**
 * The building blocks of the config schema (schema.ts): valibot schemas whose error messages
 * already say what the config reference promises, in the three lines validate.ts turns into a
 * ConfigError: the problem, `expected: …` and, for an unknown key, `hint: did you mean …`.
 *
 * Why valibot: it is one tree-shakeable ESM file. Measured on this machine's Node 20 (median of
 * 9 cold `node` starts each, import plus building and parsing a small nested schema): valibot
 * 7 + 1 ms, zod 4 123 + 15 ms, zod/mini 101 + 6 ms. Its JSON Schema converter
 * (@valibot/to-json-schema) is a dev dependency, used only by test/support/config-schema.ts.
 *
 * YAML's empty value (`run:` with every option commented out) is null: every optional field
 * reads null as absent, as the hand-written reader of 0.1 did.
 */
import * as v from 'valibot';
import type { Json } from '../traces/model.js';
import { nearestKey } from './suggest.js';

/** An error message in the shape validate.ts expects: the problem, then what was expected. */
export function says(problem: string, expected: string, hint?: string): string {
  return `${problem}\nexpected: ${expected}${hint ? `\nhint: ${hint}` : ''}`;
}

const MAPPING = says('must be a mapping', 'a mapping of keys to values');

/** A non-empty string. */
export const str = () => v.pipe(v.string(says('must be a non-empty string', 'a string')), v.minLength(1, says('must be a non-empty string', 'a string')));

/** A finite number, optionally an integer, within bounds. */
export function num(opts: { min?: number; max?: number; integer?: boolean } = {}): v.GenericSchema<number> {
  const range = `${opts.integer ? 'an integer' : 'a number'}${opts.min !== undefined ? ` ≥ ${opts.min}` : ''}${opts.max !== undefined ? ` ≤ ${opts.max}` : ''}`;
  const m = says(`must be ${range}`, range);
  const checks: Array<v.PipeItem<number, number, v.BaseIssue<unknown>>> = [v.finite(m)];
  if (opts.integer) checks.push(v.integer(m));
  if (opts.min !== undefined) checks.push(v.minValue<number, number, string>(opts.min, m));
  if (opts.max !== undefined) checks.push(v.maxValue<number, number, string>(opts.max, m));
  return v.pipe(v.number(m), ...checks);
}

export const bool = () => v.boolean(says('must be true or false', 'true or false'));

export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return v.picklist(values, says(`must be one of ${values.join(', ')}`, values.join(' | ')));
}

export function list<S extends v.GenericSchema>(item: S) {
  return v.array(item, says('must be a list', 'a list'));
}

/** A string holding a JavaScript regular expression that compiles. */
export function regexString() {
  return v.pipe(
    str(),
    v.rawCheck(({ dataset, addIssue }) => {
      if (!dataset.typed) return;
      try {
        new RegExp(dataset.value);
      } catch (err) {
        addIssue({ message: says(`is not a valid regular expression (${(err as Error).message})`, 'a JavaScript regular expression') });
      }
    }),
  );
}

/**
 * valibot's object and record schemas take a list for a mapping with keys 0, 1, …: this one
 * refuses it with `message`, and hands anything else to `schema`.
 */
function noList<S extends v.GenericSchema>(schema: S, message: string): S {
  const refuse = v.custom<never>(() => false, message);
  return {
    ...schema,
    '~run'(dataset: v.UnknownDataset, config: v.Config<v.BaseIssue<unknown>>) {
      return Array.isArray(dataset.value) ? refuse['~run'](dataset, config) : schema['~run'](dataset, config);
    },
  } as S;
}

/** What a field expects, read from its schema's message (see `says`). */
function expectedOf(schema: v.GenericSchema | undefined): string {
  const first = schema && 'pipe' in schema ? (schema.pipe as v.GenericSchema[])[0] : schema;
  const message = first && 'message' in first && typeof first.message === 'string' ? first.message : undefined;
  return message?.split('\nexpected: ')[1]?.split('\n')[0] ?? first?.expects ?? 'a value';
}

/** A mapping with exactly these keys: any other key is an error naming the nearest known one. */
export function mapping<E extends v.ObjectEntries>(entries: E) {
  const keys = Object.keys(entries);
  const schema = v.strictObject(entries, (issue) => {
    const key = String(issue.path?.at(-1)?.key);
    if (issue.expected === 'never') {
      const near = nearestKey(key, keys);
      return says(`unknown option "${key}"`, `one of ${keys.join(', ')}`, near ? `did you mean "${near}"?` : undefined);
    }
    return issue.input === undefined && issue.path ? says('is required', expectedOf(entries[key])) : MAPPING;
  });
  return noList(schema, MAPPING);
}

/** A mapping with a `type` and any other options (an evaluator entry). */
export function typedEntry() {
  const message = says('must be a mapping', 'a mapping with a `type` (an evaluator name)');
  const schema = v.looseObject({ type: str() }, (issue) => (issue.input === undefined && issue.path ? says('is required', 'an evaluator name: a built-in or a file of evaluatorsDir') : message));
  return noList(schema, message);
}

/** A mapping from any name to values of one schema (providers, pricing, headers). */
export function recordOf<S extends v.GenericSchema>(value: S) {
  return noList(v.record(v.string(), value, MAPPING), MAPPING);
}

/** Free-form JSON options (variant `options`, `params.extra`), passed through unchecked. */
export function jsonMap() {
  return v.pipe(noList(v.record(v.string(), v.unknown(), MAPPING), MAPPING), v.transform((x) => x as Record<string, Json>));
}

/** An optional field with a default: absent and null both give `value`. */
export function withDefault<S extends v.GenericSchema>(schema: S, value: v.InferInput<S>) {
  return v.nullish(schema, value as never) as v.NullishSchema<S, v.InferOutput<S>>;
}

/** An optional field without a default: absent and null both leave it out. */
export function opt<S extends v.GenericSchema>(schema: S) {
  return v.optional(v.pipe(v.nullable(schema), v.transform((x): v.InferOutput<S> | undefined => x ?? undefined)));
}
