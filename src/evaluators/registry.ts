/**
 * Resolves evaluator config entries to evaluators: built-ins from a typed const map, then
 * project evaluators from the evaluators directory (`<dir>/<type>.ts|.js`, default export made
 * with `defineEvaluator`, or a function `(options) => Evaluator`).
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Fields } from '../config/fields.js';
import { importUserModule } from '../config/import-module.js';
import type { AssertionConfig } from '../datasets/case.js';
import { ConfigError } from '../errors.js';
import { maxCost, maxLatency, maxTokens } from './builtin/budgets.js';
import { contains, notContains } from './builtin/contains.js';
import { equals } from './builtin/equals.js';
import { finishReason } from './builtin/finish-reason.js';
import { grounded } from './builtin/grounded.js';
import { injectionFollowed } from './builtin/injection-followed.js';
import { jsonPath } from './builtin/json-path.js';
import { jsonSchema } from './builtin/json-schema.js';
import { jsonValid } from './builtin/json-valid.js';
import { judge } from './builtin/judge.js';
import { numbersMatch } from './builtin/numbers-match.js';
import { pairwise } from './builtin/pairwise.js';
import { piiLeak } from './builtin/pii-leak.js';
import { answerRelevance, contextRelevance } from './builtin/rag-judges.js';
import { refusal } from './builtin/refusal.js';
import { regex } from './builtin/regex.js';
import { retrievalDrift } from './builtin/retrieval-drift.js';
import { semanticSimilarity } from './builtin/semantic-similarity.js';
import { similarity } from './builtin/similarity.js';
import { notToolCalled, toolCalled } from './builtin/tool-called.js';
import { toolSequence } from './builtin/tool-sequence.js';
import type { Evaluator, EvaluatorFactory } from './evaluator.js';
import { DEFAULT_JUDGE_MODEL, withJudgeDefaults, type JudgeSettings } from './judge-settings.js';

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
  judge,
  'injection-followed': injectionFollowed,
  'numbers-match': numbersMatch,
  'finish-reason': finishReason,
  refusal,
  'pii-leak': piiLeak,
  'tool-sequence': toolSequence,
  'json-schema': jsonSchema,
  'json-path': jsonPath,
  'retrieval-drift': retrievalDrift,
  grounded,
  faithfulness: grounded,
  pairwise,
  'semantic-similarity': semanticSimilarity,
  'answer-relevance': answerRelevance,
  'context-relevance': contextRelevance,
} satisfies Record<string, EvaluatorFactory>;

export type BuiltinEvaluatorType = keyof typeof builtinEvaluators;

/**
 * Built-ins with a `threshold` option of their own. Every other built-in takes a generic
 * `threshold` (0..1): its pass becomes `score >= threshold`, e.g. `contains` with three values
 * and threshold 0.6 passes when two are found.
 */
const OWN_THRESHOLD: ReadonlySet<BuiltinEvaluatorType> = new Set(['similarity', 'judge', 'grounded', 'faithfulness', 'retrieval-drift', 'injection-followed', 'semantic-similarity', 'answer-relevance', 'context-relevance']);

function withThreshold(ev: Evaluator, threshold: number): Evaluator {
  return {
    name: ev.name,
    async evaluate(ctx) {
      const s = await ev.evaluate(ctx);
      return { ...s, pass: s.score >= threshold, reason: `${s.reason} (score ${s.score}, threshold ${threshold})` };
    },
  };
}

function renamed(ev: Evaluator, name: string): Evaluator {
  return {
    name,
    ...(ev.weight !== undefined ? { weight: ev.weight } : {}),
    async evaluate(ctx) {
      const s = await ev.evaluate(ctx);
      // Anything but an object is left for the runner to report as it is.
      return s !== null && typeof s === 'object' ? { ...s, name } : s;
    },
  };
}

function isBuiltin(type: string): type is BuiltinEvaluatorType {
  return Object.hasOwn(builtinEvaluators, type);
}

const EXTENSIONS = ['.ts', '.mts', '.js', '.mjs'];

/**
 * Resolves evaluator entries. Project evaluators are imported once, up front, by
 * {@link EvaluatorResolver.create}, so resolving is synchronous afterwards (per-case
 * assertions are resolved while the run is going).
 */
export class EvaluatorResolver {
  private constructor(
    private readonly evaluatorsDir: string,
    private readonly project: ReadonlyMap<string, { file: string; exported: unknown }>,
    private readonly judge: Pick<JudgeSettings, 'provider' | 'model'> & { temperature?: number },
  ) {}

  /**
   * Imports every `*.ts|*.mts|*.js|*.mjs` in `evaluatorsDir` (missing directory: none). `judge`:
   * the suite's judge, filled into model-graded built-ins that name no `provider` / `model`.
   */
  static async create(evaluatorsDir: string, judge: Pick<JudgeSettings, 'provider' | 'model'> & { temperature?: number } = { model: DEFAULT_JUDGE_MODEL }): Promise<EvaluatorResolver> {
    const project = new Map<string, { file: string; exported: unknown }>();
    const names = existsSync(evaluatorsDir) ? readdirSync(evaluatorsDir).sort() : [];
    for (const name of names) {
      const ext = EXTENSIONS.find((e) => name.endsWith(e));
      if (!ext || name.endsWith('.d.ts') || /\.test\.[mc]?[jt]s$/.test(name)) continue;
      const type = name.slice(0, -ext.length);
      if (project.has(type)) continue;
      const file = path.join(evaluatorsDir, name);
      const mod = await importModule(file);
      project.set(type, { file, exported: mod.default ?? mod });
    }
    return new EvaluatorResolver(evaluatorsDir, project, judge);
  }

  /** Names of the project evaluators found. */
  get projectTypes(): string[] {
    return [...this.project.keys()];
  }

  /**
   * Builds one evaluator; `at` locates the entry for error messages. Every entry may set
   * `weight` (> 0): its share in the run's `weighted` metric.
   */
  resolve(config: AssertionConfig, fields: Fields, at: Array<string | number>): Evaluator {
    if (config.weight === undefined) return this.resolveUnweighted(config, fields, at);
    const { weight, ...rest } = config;
    const w = fields.number(weight, [...at, 'weight'], { min: 0 });
    if (w <= 0) fields.fail([...at, 'weight'], 'must be more than 0', 'a positive number', weight);
    const ev = this.resolveUnweighted(rest as AssertionConfig, fields, at);
    return { name: ev.name, weight: w, evaluate: (ctx) => ev.evaluate(ctx) };
  }

  private resolveUnweighted(entry: AssertionConfig, fields: Fields, at: Array<string | number>): Evaluator {
    const type = entry.type;
    if (isBuiltin(type)) {
      const config = withJudgeDefaults(entry, this.judge);
      if (config.threshold === undefined || OWN_THRESHOLD.has(type)) return builtinEvaluators[type](config, fields, at);
      const { threshold, ...rest } = config;
      const t = fields.number(threshold, [...at, 'threshold'], { min: 0, max: 1 });
      return withThreshold(builtinEvaluators[type](rest, fields, at), t);
    }
    const found = this.project.get(type);
    if (!found) {
      fields.fail([...at, 'type'], `unknown evaluator "${type}"`, `a built-in (${Object.keys(builtinEvaluators).join(', ')}) or a file ${path.join(this.evaluatorsDir, `${type}.ts`)}`, type);
    }
    const { type: _type, ...options } = entry;
    const ev = typeof found.exported === 'function' ? (found.exported as (o: Record<string, unknown>) => unknown)(options) : found.exported;
    if (!isEvaluator(ev)) {
      throw new ConfigError('project evaluator must default-export defineEvaluator({...}) or a function returning one', {
        file: found.file,
        expected: '{ name: string, evaluate(ctx) }',
        found: typeof ev,
      });
    }
    // The entry's `name:` is the metric's name, whatever the file calls itself.
    return typeof entry.name === 'string' && entry.name !== ev.name ? renamed(ev, entry.name) : ev;
  }

  /** Resolves a list of entries in order. */
  resolveAll(configs: readonly AssertionConfig[], fields: Fields, at: Array<string | number>): Evaluator[] {
    const evaluators = configs.map((c, i) => this.resolve(c, fields, [...at, i]));
    // Each name is one metric in every report: two entries under one name would pool their scores.
    const seen = new Map<string, number>();
    evaluators.forEach((ev, i) => {
      const first = seen.get(ev.name);
      if (first !== undefined) {
        fields.fail([...at, i, 'name'], `duplicate evaluator name "${ev.name}" (also ${at.join('.')}[${first}])`, 'a name no other evaluator of the list uses: set `name:` on one of them', ev.name);
      }
      seen.set(ev.name, i);
    });
    return evaluators;
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
