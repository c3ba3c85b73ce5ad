/**
 * `json-schema`: the output's JSON (fences accepted, as `json-valid`) validates against a JSON
 * Schema, given inline (`schema`) or as a file (`file`, .json or .yaml, relative to the config
 * file). Validation is Ajv's (drafts 06/07 and 2019-09 keywords it supports by default, all errors
 * collected, unknown formats ignored). Options: `schema` | `file`, `allowFence` (default true).
 * Score 1 or 0; the reason lists the first three violations with their JSON pointers.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { Ajv as AjvClass, ValidateFunction } from 'ajv';
import { parse as parseYaml } from 'yaml';
import type { EvaluatorFactory } from '../evaluator.js';
import { readJson } from './json-extract.js';
import { readCommon } from './options.js';

export const jsonSchema: EvaluatorFactory = (config, f, at) => {
  const { name } = readCommon(config, f, at, ['schema', 'file', 'allowFence']);
  const allowFence = f.optBoolean(config.allowFence, [...at, 'allowFence']) ?? true;
  if ((config.schema === undefined) === (config.file === undefined)) {
    f.fail([...at, 'schema'], 'needs exactly one of `schema` and `file`', 'an inline schema or a schema file path', config.schema ?? config.file);
  }
  let schema: unknown;
  let source = 'the inline schema';
  if (config.file !== undefined) {
    const rel = f.string(config.file, [...at, 'file']);
    const file = path.resolve(path.dirname(f.file), rel);
    source = rel;
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      f.fail([...at, 'file'], `cannot read the schema file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, 'a readable .json or .yaml file', file);
    }
    try {
      schema = /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text);
    } catch (err) {
      f.fail([...at, 'file'], `the schema file is not valid ${/\.ya?ml$/i.test(file) ? 'YAML' : 'JSON'} (${(err as Error).message})`, 'a JSON Schema document', file);
    }
  } else {
    schema = config.schema;
  }
  if (typeof schema !== 'boolean' && (schema === null || typeof schema !== 'object' || Array.isArray(schema))) {
    f.fail([...at, config.file !== undefined ? 'file' : 'schema'], 'must be a JSON Schema (a mapping)', 'a JSON Schema object', schema);
  }
  const compiled = compile(schema as object);
  const validate = typeof compiled !== 'string' ? compiled : f.fail([...at, config.file !== undefined ? 'file' : 'schema'], `is not a valid JSON Schema (${compiled})`, 'a JSON Schema Ajv can compile', schema);
  return {
    name,
    evaluate({ actual }) {
      const read = readJson(actual.output ?? '', allowFence);
      if (!read.ok) return { name, score: 0, pass: false, reason: `not valid JSON: ${read.error}` };
      if (validate(read.value)) return { name, score: 1, pass: true, reason: `matches ${source}` };
      const errors = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}${e.keyword === 'additionalProperties' ? ` (${String((e.params as { additionalProperty?: string }).additionalProperty)})` : ''}`);
      return { name, score: 0, pass: false, reason: `does not match ${source}: ${errors.slice(0, 3).join('; ')}${errors.length > 3 ? `; and ${errors.length - 3} more` : ''}` };
    },
  };
};

/**
 * Ajv is loaded (synchronously: factories are synchronous) only when a suite uses this
 * evaluator; importing it costs ≈0.3 s of start-up every other run would pay for nothing.
 */
let ajv: typeof AjvClass | undefined;
const loadAjv = (): typeof AjvClass => (ajv ??= (createRequire(import.meta.url)('ajv') as { Ajv: typeof AjvClass }).Ajv);

/** The validator, or why the schema does not compile. */
function compile(schema: object): ValidateFunction | string {
  const Ajv = loadAjv();
  try {
    return new Ajv({ allErrors: true, strict: false, validateFormats: false }).compile(schema);
  } catch (err) {
    return (err as Error).message;
  }
}
