/**
 * A compact validator for the subset of JSON Schema (2020-12) our published schemas use:
 * `type`, `properties`, `required`, `additionalProperties`, `items`, `enum`, `const`, `pattern`,
 * `minimum`, `minLength`, `anyOf` and local `$ref` (`#/$defs/x`). We may not add dependencies, and
 * this subset keeps the error messages ours: each names the field, what was expected and what was found.
 */
import { excerpt } from '../../errors.js';

/** The schema subset understood by {@link validateJson}. */
export interface JsonSchema {
  $schema?: string;
  $id?: string;
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  title?: string;
  description?: string;
  type?: JsonType | JsonType[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: readonly (string | number | boolean | null)[];
  const?: string | number | boolean | null;
  pattern?: string;
  minimum?: number;
  minLength?: number;
  anyOf?: JsonSchema[];
}

/** JSON Schema primitive type names (`integer` is a whole `number`). */
export type JsonType = 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean' | 'null';

/** One failed check: dotted field path (`input.messages[0].role`), expectation and found value. */
export interface SchemaProblem {
  field: string;
  expected: string;
  found: string;
}

/** Validates `value` against `schema`; returns every problem found (empty = valid). */
export function validateJson(value: unknown, schema: JsonSchema, root: JsonSchema = schema): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  check(value, schema, root, '', problems);
  return problems;
}

function typeOf(value: unknown): JsonType | 'undefined' {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (typeof value === 'object') return 'object';
  return typeof value as JsonType;
}

function matchesType(value: unknown, t: JsonType): boolean {
  const actual = typeOf(value);
  return actual === t || (t === 'number' && actual === 'integer');
}

function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path === '' ? key : `${path}.${key}`;
}

function resolve(schema: JsonSchema, root: JsonSchema): JsonSchema {
  if (schema.$ref === undefined) return schema;
  // Refs to other published files are checked where those files are read, not here.
  if (!schema.$ref.startsWith('#/$defs/')) return {};
  const name = schema.$ref.slice('#/$defs/'.length);
  const target = root.$defs?.[name];
  if (target === undefined) throw new Error(`schema $ref not found: ${schema.$ref}`);
  return target;
}

/** Patterns compiled once: a dataset read checks the same few patterns on every case. */
const patterns = new Map<string, RegExp>();

function compiled(pattern: string): RegExp {
  let re = patterns.get(pattern);
  if (re === undefined) patterns.set(pattern, (re = new RegExp(pattern, 'u')));
  return re;
}

function check(value: unknown, raw: JsonSchema, root: JsonSchema, path: string, out: SchemaProblem[]): void {
  const schema = resolve(raw, root);
  const field = path === '' ? '(root)' : path;
  if (schema.type !== undefined) {
    const ok = typeof schema.type === 'string' ? matchesType(value, schema.type) : schema.type.some((t) => matchesType(value, t));
    if (!ok) {
      const types = Array.isArray(schema.type) ? schema.type : [schema.type];
      out.push({ field, expected: types.join(' or '), found: value === undefined ? 'nothing' : `${typeOf(value)} ${excerpt(value, 60)}` });
      return;
    }
  }
  if (schema.const !== undefined && value !== schema.const) {
    out.push({ field, expected: JSON.stringify(schema.const), found: excerpt(value, 60) });
  }
  if (schema.enum !== undefined && !schema.enum.includes(value as string)) {
    out.push({ field, expected: `one of ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}`, found: excerpt(value, 60) });
  }
  if (typeof value === 'string') {
    if (schema.pattern !== undefined && !compiled(schema.pattern).test(value)) {
      out.push({ field, expected: `a string matching /${schema.pattern}/`, found: excerpt(value, 60) });
    }
    if (schema.minLength !== undefined && value.length < schema.minLength) {
      out.push({ field, expected: `at least ${schema.minLength} characters`, found: excerpt(value, 60) });
    }
  }
  if (typeof value === 'number' && schema.minimum !== undefined && value < schema.minimum) {
    out.push({ field, expected: `a number >= ${schema.minimum}`, found: String(value) });
  }
  if (schema.anyOf !== undefined) checkAnyOf(value, schema.anyOf, root, path, out);
  if (Array.isArray(value) && schema.items !== undefined) {
    value.forEach((item, i) => check(item, schema.items as JsonSchema, root, join(path, i), out));
  }
  if (typeOf(value) === 'object') checkObject(value as Record<string, unknown>, schema, root, path, out);
}

function checkAnyOf(value: unknown, options: JsonSchema[], root: JsonSchema, path: string, out: SchemaProblem[]): void {
  const attempts = options.map((o) => validateJsonAt(value, o, root, path));
  if (attempts.some((a) => a.length === 0)) return;
  // Report the closest alternative: one whose type matched (problems lie deeper) says most about the intent.
  const field = path === '' ? '(root)' : path;
  const typed = attempts.filter((a) => a.every((p) => p.field !== field));
  const pool = typed.length > 0 ? typed : attempts;
  out.push(...pool.reduce((a, b) => (b.length < a.length ? b : a)));
}

function validateJsonAt(value: unknown, schema: JsonSchema, root: JsonSchema, path: string): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  check(value, schema, root, path, problems);
  return problems;
}

function checkObject(obj: Record<string, unknown>, schema: JsonSchema, root: JsonSchema, path: string, out: SchemaProblem[]): void {
  for (const key of schema.required ?? []) {
    if (obj[key] === undefined) out.push({ field: join(path, key), expected: 'a value (required)', found: 'nothing' });
  }
  for (const key in obj) {
    if (!Object.hasOwn(obj, key)) continue;
    const v = obj[key];
    const sub = schema.properties !== undefined && Object.hasOwn(schema.properties, key) ? schema.properties[key] : undefined;
    if (sub !== undefined) {
      if (v !== undefined) check(v, sub, root, join(path, key), out);
    } else if (schema.additionalProperties === false) {
      const known = Object.keys(schema.properties ?? {}).join(', ');
      out.push({ field: join(path, key), expected: `no such field (known: ${known})`, found: excerpt(v, 40) });
    } else if (typeof schema.additionalProperties === 'object') {
      check(v, schema.additionalProperties, root, join(path, key), out);
    }
  }
}
