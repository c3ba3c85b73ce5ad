/**
 * The suite configuration (`evals.config.yaml` or `evals.config.ts`), defined once as a valibot
 * schema: the TypeScript types below are inferred from it, validate.ts checks configs with it
 * (unknown keys anywhere are errors), and test/support/config-schema.ts turns it into the published
 * schemas/config.schema.json (`npm run schema`). Every option has a default, so a minimal
 * config names only datasets and evaluators. `defineConfig` gives TypeScript configs
 * completion and checking.
 */
import * as v from 'valibot';
import { bool, list, mapping, num, opt, recordOf, says, str, withDefault } from './schema-kit.js';
import { AssertionSchema, JudgeSchema, PipelineSchema, PriceSchema, ProviderSchema, RunSchema, SnapshotSchema, VariantSchema } from './schema-sections.js';

export type { ProviderType } from '../providers/registry.js';

const ConfirmSchema = mapping({
  /** Re-run flips to confirm them. Default true. */
  enabled: withDefault(bool(), true),
  /** Most confirmation runs per side and flip. Default 12. */
  maxRuns: withDefault(num({ min: 1, max: 100, integer: true }), 12),
  /** Runs beyond the minimum that could reach significance. Default 1. */
  slack: withDefault(num({ min: 0, max: 10, integer: true }), 1),
});

export const GateSchema = v.pipe(
  mapping({
    /**
     * False-alarm rate of the whole gate on a run where nothing changed. Half goes to the per-case
     * confirmations together, half to the metric tests together. Default 0.05.
     */
    alpha: withDefault(num({ min: 0.0001, max: 0.5 }), 0.05),
    /** Fail when an incident case's expectations (expected output, assertions, evaluators) do not hold in the candidate, whatever production did. Default true. */
    incidentsMustHold: opt(bool()),
    /** Share of an incident case's runs that must pass. Default 1 (every run). */
    incidentMinPassRate: withDefault(num({ min: 0, max: 1 }), 1),
    /** Confirmed regressions tolerated (outside incidents). Default 0. */
    maxRegressions: withDefault(num({ min: 0, integer: true }), 0),
    /** A metric fails when its mean drops by more than this AND the drop is significant. Default 0.05. */
    maxMetricDrop: withDefault(num({ min: 0, max: 1 }), 0.05),
    /** Below this many paired cases no aggregate metric test is run ("too few cases"). Default 10. */
    minCases: withDefault(num({ min: 1, integer: true }), 10),
    /** Share of runs that may get no output (provider errors after retries, skipped) before the gate fails. Default 0.05. */
    maxErrorRate: opt(num({ min: 0, max: 1 })),
    /** Fail when an evaluator errored or timed out on any run (the output was never judged). Default true. */
    failOnUnscored: withDefault(bool(), true),
    /** Fail when a case of the baseline run was not run. Default true. */
    failOnMissing: withDefault(bool(), true),
    /** An inconclusive verdict exits 0 instead of 1. Default false. */
    allowInconclusive: withDefault(bool(), false),
    /** Confirmation re-runs of flips (see compare/confirm.ts). */
    confirm: withDefault(ConfirmSchema, {}),
    /** @deprecated 0.1 name of `incidentsMustHold`. */
    incidentsMustNotRegress: opt(bool()),
    /** @deprecated 0.1: `true` is `maxErrorRate: 0`. */
    failOnErrors: opt(bool()),
  }),
  v.transform(({ incidentsMustNotRegress, failOnErrors, ...gate }) => ({
    ...gate,
    incidentsMustHold: gate.incidentsMustHold ?? incidentsMustNotRegress ?? true,
    maxErrorRate: gate.maxErrorRate ?? (failOnErrors ? 0 : 0.05),
  })),
);

/** Names variants left unnamed (`candidate` when alone, else `variant-<n>`) and rejects duplicates. */
const VariantsSchema = v.pipe(
  list(VariantSchema),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    const seen = new Set<string>();
    const out = dataset.value.map((variant, i) => ({ ...variant, name: variant.name ?? (dataset.value.length === 1 ? 'candidate' : `variant-${i + 1}`) }));
    for (const [i, variant] of out.entries()) {
      if (seen.has(variant.name)) {
        addIssue({
          message: says(`duplicate variant name "${variant.name}"`, 'a name no other variant uses'),
          path: [
            { type: 'array', origin: 'value', input: dataset.value, key: i, value: variant },
            { type: 'object', origin: 'value', input: variant, key: 'name', value: variant.name },
          ],
        });
        return NEVER;
      }
      seen.add(variant.name);
    }
    return out;
  }),
);

export const EvalsConfigSchema = mapping({
  /** Dataset refs: `name`, `name@latest`, `name@3f9a2c` (pinned by hash). */
  datasets: withDefault(list(str()), []),
  /** Directory holding datasets. Default `datasets`. */
  datasetsDir: withDefault(str(), 'datasets'),
  /** Name → provider; replay sends each case to one of the API it was recorded with. */
  providers: withDefault(recordOf(withDefault(ProviderSchema, {})), {}),
  /** How a case is re-executed. Default `{ type: replay }`. */
  pipeline: withDefault(PipelineSchema, {}),
  /** What a candidate changes. Default: one variant named `candidate` with no changes. */
  variants: withDefault(VariantsSchema, [{}]),
  /**
   * What candidates are compared with. `replay` (default for the replay pipeline): production's
   * own prompt and model, replayed as a variant named `production` and sampled like the
   * candidates; `recorded`: only the recorded production output (default for module and http
   * pipelines); or the name of one of `variants`, which then plays the baseline.
   */
  baseline: opt(str()),
  /** Evaluators run on every case and variant; cases add their own `expected.assertions`. */
  evaluators: withDefault(list(AssertionSchema), []),
  /** Directory of project evaluators (`*.ts`/`*.js` default-exporting `defineEvaluator`). Default `evaluators`. */
  evaluatorsDir: withDefault(str(), 'evaluators'),
  /**
   * The judge of every model-graded evaluator (`judge`, `pairwise`, the RAG judges, `grounded`
   * with `judge: true`); an entry's own `provider` / `model` / `temperature` override it.
   */
  judge: withDefault(JudgeSchema, {}),
  /** Concurrency, repeats, timeouts, retries, budget and cache. */
  run: withDefault(RunSchema, {}),
  /** When `evals run` fails (exit 1). */
  gate: withDefault(GateSchema, {}),
  /** `evals snapshot`: what `--flagged` selects, extra redaction, diagnosis thresholds. */
  snapshot: withDefault(SnapshotSchema, {}),
  /** Extra prices, USD per million tokens, added to / overriding the built-in table. */
  pricing: withDefault(recordOf(PriceSchema), {}),
});

/** The config after validation, every default filled in. */
export type EvalsConfig = v.InferOutput<typeof EvalsConfigSchema>;
/** What a user writes: every key optional. */
export type EvalsConfigInput = v.InferInput<typeof EvalsConfigSchema>;
/** A provider entry as written in the config (the name is its key under `providers`). */
export type ProviderConfigEntry = v.InferOutput<typeof ProviderSchema>;
export type PipelineConfig = v.InferOutput<typeof PipelineSchema>;
export type VariantConfig = EvalsConfig['variants'][number];
export type RunConfig = v.InferOutput<typeof RunSchema>;
export type GateConfig = v.InferOutput<typeof GateSchema>;
export type SnapshotConfig = v.InferOutput<typeof SnapshotSchema>;
export type FlagConfig = SnapshotConfig['flagged'];

/** Typed helper for `evals.config.ts`; the config is checked when it is loaded. */
export function defineConfig(config: EvalsConfigInput): EvalsConfigInput {
  return config;
}

/** Every `run` default (no budget). */
export const DEFAULT_RUN: RunConfig = v.parse(RunSchema, {});
/** Every `gate` default. */
export const DEFAULT_GATE: GateConfig = v.parse(GateSchema, {});
