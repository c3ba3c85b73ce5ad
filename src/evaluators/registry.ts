/**
 * Resolves evaluator config entries to evaluators: built-ins from a typed const map, then
 * project evaluators from the evaluators directory (`<dir>/<type>.ts|.js`, default export made
 * with `defineEvaluator`, or a function `(options) => Evaluator`).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Fields } from '../config/fields.js';
import { importUserModule } from '../config/import-module.js';
import type { AssertionConfig } from '../datasets/case.js';
import { ConfigError } from '../errors.js';
import { maxCost, maxLatency, maxTokens } from './builtin/budgets.js';
import { contains, notContains } from './builtin/contains.js';
import { equals } from './builtin/equals.js';
import { jsonValid } from './builtin/json-valid.js';
import { regex } from './builtin/regex.js';
import { similarity } from './builtin/similarity.js';
import { notToolCalled, toolCalled } from './builtin/tool-called.js';
import type { Evaluator, EvaluatorFactory } from './evaluator.js';

export const builtinEvaluators = {
  contains,
  'not-contains': notContains,
  regex,
  'json-valid': jsonValid,
  similarity,
  equals,
  'max-latency': maxLatency,
  'max-tokens': maxTokens,
  'max-cost': maxCost,
  'tool-called': toolCalled,
  'not-tool-called': notToolCalled,
} satisfies Record<string, EvaluatorFactory>;

export type BuiltinEvaluatorType = keyof typeof builtinEvaluators;

function isBuiltin(type: string): type is BuiltinEvaluatorType {
  return Object.hasOwn(builtinEvaluators, type);
}

const EXTENSIONS = ['.ts', '.mts', '.js', '.mjs'];

/** Loads project evaluators on first use and caches them per directory. */
export class EvaluatorResolver {
  private readonly project = new Map<string, Promise<unknown>>();

  constructor(private readonly evaluatorsDir: string) {}

  /** Builds one evaluator; `path` locates the entry for error messages. */
  async resolve(config: AssertionConfig, fields: Fields, at: Array<string | number>): Promise<Evaluator> {
    const type = config.type;
    if (isBuiltin(type)) return builtinEvaluators[type](config, fields, at);
    const file = EXTENSIONS.map((ext) => path.join(this.evaluatorsDir, `${type}${ext}`)).find((p) => existsSync(p));
    if (!file) {
      fields.fail([...at, 'type'], `unknown evaluator "${type}"`, `a built-in (${Object.keys(builtinEvaluators).join(', ')}) or a file ${path.join(this.evaluatorsDir, `${type}.ts`)}`, type);
    }
    const exported = await this.load(file);
    const { type: _type, ...options } = config;
    const ev = typeof exported === 'function' ? (exported as (o: Record<string, unknown>) => unknown)(options) : exported;
    if (!isEvaluator(ev)) {
      throw new ConfigError('project evaluator must default-export defineEvaluator({...}) or a function returning one', {
        file,
        expected: '{ name: string, evaluate(ctx) }',
        found: typeof ev,
      });
    }
    return ev;
  }

  /** Resolves a list of entries in order. */
  async resolveAll(configs: readonly AssertionConfig[], fields: Fields, at: Array<string | number>): Promise<Evaluator[]> {
    const out: Evaluator[] = [];
    for (const [i, c] of configs.entries()) out.push(await this.resolve(c, fields, [...at, i]));
    return out;
  }

  private load(file: string): Promise<unknown> {
    let p = this.project.get(file);
    if (!p) {
      p = importModule(file).then((m) => m.default ?? m);
      this.project.set(file, p);
    }
    return p;
  }
}

async function importModule(file: string): Promise<Record<string, unknown>> {
  try {
    return await importUserModule(file);
  } catch (err) {
    throw new ConfigError(`could not load evaluator: ${(err as Error).message}`, { file, cause: err });
  }
}

function isEvaluator(v: unknown): v is Evaluator {
  return v !== null && typeof v === 'object' && typeof (v as Evaluator).name === 'string' && typeof (v as Evaluator).evaluate === 'function';
}
