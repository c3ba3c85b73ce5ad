/**
 * Turns the loaded config (plus command-line overrides) into a `RunPlan`: the pinned dataset
 * versions and their case ids (each case is read when the runner reaches it), providers, the pipeline, variants and evaluators. Every path in the
 * config is relative to the config file's directory.
 */
import { opendirSync, readFileSync, type Dir } from 'node:fs';
import path from 'node:path';
import type { Fields } from '../config/fields.js';
import type { Case } from '../datasets/case.js';
import type { CaseReadThread } from './case-read-thread.js';
import type { LoadedConfig } from '../config/load.js';
import type { VariantConfig } from '../config/schema.js';
import { parseRef } from '../datasets/storage/dataset-io.js';
import { openVersion } from '../datasets/storage/dataset-read.js';
import { PackedHashes } from '../datasets/storage/packed-hashes.js';
import { ConfigError, UsageError } from '../errors.js';
import { describeJudge } from '../evaluators/judge-settings.js';
import { EvaluatorResolver } from '../evaluators/registry.js';
import { createHttpPipeline } from '../pipelines/http.js';
import { createModulePipeline } from '../pipelines/module.js';
import type { Pipeline, VariantOverrides } from '../pipelines/pipeline.js';
import { createReplayPipeline } from '../pipelines/replay.js';
import { mergePricing } from '../providers/pricing.js';
import type { Provider } from '../providers/provider.js';
import { createProvider } from '../providers/registry.js';
import { itemId, type CaseRef, type PlanItem } from '../runner/plan-items.js';
import type { RunPlan, RunVariant } from '../runner/run-plan.js';
import type { RunDatasetRef } from '../runner/run-record.js';
import type { Shard } from '../runner/shard.js';
import { TOOL_VERSION } from '../version.js';
import { caseLookupOf, type CaseLookup, type KnownCases, type PlannedCase } from './run-cases.js';
import { describeFilter, isFiltering, selectItems, type CaseFilter } from './run-filter.js';

export interface PlanOverrides {
  runDir: string;
  runId: string;
  datasets?: string[];
  variants?: string[];
  concurrency?: number;
  repeat?: number;
  maxCostUsd?: number;
  cache?: false;
  /** `--no-judge-cache`: judge calls never read or write the response cache. */
  judgeCache?: false;
  shard?: Shard;
  resume: boolean;
  configHash: string;
  configFile: string;
  /** False: no sampled baseline variant (compared with another run instead). */
  sampledBaseline?: false;
  /** Subset filters (`--case`, `--tag`, `--incident`, `--failing`, `--limit`); see run-filter.ts. */
  filter?: CaseFilter;
  /** Called with each case the run reads from its dataset (after its hash and schema were checked). */
  onCaseRead?: (dataset: string, c: Case) => void;
  /**
   * The case read thread, once the run has started one (case-read-thread.ts): cases it reads come
   * with their spool texts, handed to `onCaseTexts` instead of the case to `onCaseRead`.
   */
  caseThread?: () => CaseReadThread | undefined;
  onCaseTexts?: (dataset: string, id: string, brief: string, line: string) => void;
}

/** What the items of one dataset share: its name, the pinned hashes (packed) and its reader. */
interface DatasetSource {
  /** The datasets directory. */
  root: string;
  name: string;
  /** Index of the dataset in the plan's list. */
  index: number;
  hashes: PackedHashes;
  read: (id: string, hash: string) => Promise<Case>;
  /** The state holds merged cases no version records yet (read from memory, not from a file). */
  pending: boolean;
}

/**
 * A case by reference: its dataset's reader is shared, so a 100,000-case plan holds no closure
 * per case, and the hash its version pinned is kept (packed) with its dataset, so the plan holds
 * no dataset state.
 */
class CaseAt implements CaseRef {
  constructor(
    readonly id: string,
    /** Index of the pinned hash in the source's hashes. */
    private readonly at: number,
    private readonly source: DatasetSource,
  ) {}
  get dataset(): string {
    return this.source.name;
  }
  get root(): string {
    return this.source.root;
  }
  load(): Promise<Case> {
    return this.source.read(this.id, this.source.hashes.get(this.at));
  }
  /** Its dataset state holds merged cases that exist only in memory (no file to find them by). */
  get pendingInMemory(): boolean {
    return this.source.pending;
  }
  /** Where the reports find this case again. */
  planned(): PlannedCase {
    return { dataset: this.source.index, id: this.id, hash: this.source.hashes.get(this.at) };
  }
}

/**
 * The report's case lookup from the plan's items (caseLookupOf), or undefined when some item is
 * not a file of a pinned version (cases handed over whole, merged cases pending in memory):
 * then the reports open the versions again (openCaseLookup).
 */
export function planCaseLookup(plan: Pick<RunPlan, 'items' | 'record'>, known?: KnownCases): CaseLookup | undefined {
  const items = plan.items;
  const first = items[0];
  const datasets = plan.record?.datasets;
  if (!(first instanceof CaseAt) || !datasets || !items.every((i) => i instanceof CaseAt && !i.pendingInMemory)) return undefined;
  // One planned case at a time (100,000 at once would be 10 MB for a moment).
  const cases = { *[Symbol.iterator](): Generator<PlannedCase> { for (const i of items as CaseAt[]) yield i.planned(); } };
  return caseLookupOf(first.root, datasets.map((d) => d.name), cases, known);
}

/**
 * One dataset's reader for its plan items (outside buildRunPlan: its closure holds nothing else).
 * With a case read thread (and no merged case pending in memory), a case the thread read is only
 * parsed here; any other is read here, as without the thread.
 */
function readerOf(root: string, name: string, readPinned: (id: string, hash: string) => Promise<Case>, pending: boolean, o: Pick<PlanOverrides, 'onCaseRead' | 'caseThread' | 'onCaseTexts'>): (id: string, hash: string) => Promise<Case> {
  const { onCaseRead: onRead, caseThread, onCaseTexts } = o;
  const direct = onRead
    ? async (id: string, hash: string): Promise<Case> => {
        const c = await readPinned(id, hash);
        onRead(name, c);
        return c;
      }
    : readPinned;
  if (!caseThread || pending) return direct;
  return async (id, hash) => {
    // Small runs start no thread: their reads go straight to the file, with no await added.
    const thread = caseThread();
    if (thread === undefined) return direct(id, hash);
    const got = await thread.read(root, name, id, hash);
    if (got === undefined) return direct(id, hash);
    const c = JSON.parse(got.text) as Case;
    if (onCaseTexts) onCaseTexts(name, id, got.brief, got.line);
    else onRead?.(name, c);
    return c;
  };
}

/** Where the run's datasets are: `EVALS_DATASETS_DIR`, else the config's `datasetsDir`. */
export function datasetsRootOf(loaded: Pick<LoadedConfig, 'config' | 'dir'>): string {
  return process.env.EVALS_DATASETS_DIR ? path.resolve(process.env.EVALS_DATASETS_DIR) : path.resolve(loaded.dir, loaded.config.datasetsDir);
}

/**
 * At least `min` case files in the named datasets' `cases/` directories (every version's cases:
 * an upper bound of what a run of them reads, known before any manifest is parsed). False when
 * a directory cannot be listed.
 */
export function mayHoldCases(root: string, refs: readonly string[], min: number): boolean {
  let n = 0;
  for (const ref of refs) {
    let dir: Dir | undefined;
    try {
      // Entries are counted only up to `min` (a 100,000-case directory is not listed whole).
      dir = opendirSync(path.join(root, parseRef(ref).name, 'cases'));
      while (n < min && dir.readSync() !== null) n++;
    } catch {
      return false;
    } finally {
      dir?.closeSync();
    }
    if (n >= min) return true;
  }
  return false;
}

export async function buildRunPlan(loaded: LoadedConfig, o: PlanOverrides): Promise<RunPlan> {
  const { config, dir } = loaded;
  const fields: Fields = loaded.fields;
  const refs = o.datasets ?? config.datasets;
  if (refs.length === 0) fields.fail(['datasets'], 'names no dataset to run', 'a list such as [refund-bot@latest]', config.datasets);
  const datasetsRoot = datasetsRootOf(loaded);
  // Ids and readers only: no case file is read before the run reaches it (filters on labels aside).
  const all: PlanItem[] = [];
  const datasetRefs: RunDatasetRef[] = [];
  for (const ref of refs) {
    const { name, version } = parseRef(ref);
    const v = await openVersion(datasetsRoot, name, version);
    datasetRefs.push({ name, version: v.manifest.hash.slice('sha256:'.length, 'sha256:'.length + 12), hash: v.manifest.hash, cases: v.ids.length });
    const pinned = v.manifest.cases;
    const source: DatasetSource = { root: datasetsRoot, name, index: datasetRefs.length - 1, hashes: new PackedHashes(), read: readerOf(datasetsRoot, name, v.readPinned, v.manifest.pending.size > 0, o), pending: v.manifest.pending.size > 0 };
    for (const id of v.ids) all.push(new CaseAt(id, source.hashes.add(pinned[id]!), source));
  }
  const filtering = o.filter !== undefined && isFiltering(o.filter);
  const items = filtering ? await selectItems(all, o.filter!) : all;

  const providerNames = Object.keys(config.providers);
  const providers: Record<string, Provider> = {};
  for (const name of providerNames) {
    const p = config.providers[name]!;
    providers[name] = createProvider({ name, ...p, ...(p.timeoutMs === undefined ? { timeoutMs: config.run.timeoutMs } : {}) });
  }

  const judge = config.judge;
  if (judge.provider !== undefined && !providers[judge.provider]) fields.fail(['judge', 'provider'], `names provider "${judge.provider}", which is not defined`, `one of ${providerNames.join(', ') || '(no provider defined)'}`, judge.provider);
  const judgeProvider = judge.provider ?? providerNames[0];
  const resolver = await EvaluatorResolver.create(path.resolve(dir, config.evaluatorsDir), { ...(judgeProvider !== undefined ? { provider: judgeProvider } : {}), model: judge.model, temperature: judge.temperature });
  const suiteEvaluators = resolver.resolveAll(config.evaluators, fields, ['evaluators']);
  const pipeline = await createPipeline(loaded);
  const chosen = selectVariants(config.variants, o.variants);
  const variants: RunVariant[] = chosen.map(({ v, i }) => {
    const provider = v.provider ?? providerNames[0];
    if (provider === undefined) fields.fail(['providers'], 'defines no provider', 'at least one provider, e.g. providers: { openai: { type: openai } }', config.providers);
    if (!providers[provider]) fields.fail(['variants', i, 'provider'], `names provider "${provider}", which is not defined`, `one of ${providerNames.join(', ')}`, provider);
    return { name: v.name, pipeline, evaluators: suiteEvaluators, overrides: overridesOf(v, dir, loaded, i), options: v.options ?? {}, provider };
  });

  if (o.sampledBaseline !== false) variants.push(...baselineVariants(loaded, variants, pipeline, suiteEvaluators, providerNames[0]!, o.variants));

  return {
    runDir: o.runDir,
    runId: o.runId,
    items,
    variants,
    providers,
    repeat: o.repeat ?? config.run.repeat,
    concurrency: o.concurrency ?? config.run.concurrency,
    retry: { maxAttempts: config.run.retries + 1 },
    timeoutMs: config.run.timeoutMs,
    evaluatorTimeoutMs: config.run.evaluatorTimeoutMs,
    ...(judgeProvider !== undefined ? { judgeProvider } : {}),
    ...(o.judgeCache === false || !judge.cache ? { judgeCache: false } : {}),
    // The stages after the first pass: the sampled baseline where needed, then (gate.confirm) re-runs of flips.
    // Incidents come with the results (each result carries its case's), so no case is read here.
    ...(variants.length > 0 ? { confirm: { gate: config.gate, incidents: new Map<string, string>() } } : {}),
    ...(o.maxCostUsd ?? config.run.maxCostUsd) !== undefined ? { maxCostUsd: (o.maxCostUsd ?? config.run.maxCostUsd)! } : {},
    cache: { dir: path.resolve(dir, config.run.cacheDir), enabled: o.cache === false ? false : config.run.cache },
    resume: o.resume,
    ...(o.shard ? { shard: o.shard } : {}),
    pricing: mergePricing(config.pricing),
    // A case's own assertions are checked where they live: the case file, not the config.
    buildEvaluators: (assertions) => resolver.resolveAll(assertions, fields, ['expected', 'assertions']),
    record: {
      toolVersion: TOOL_VERSION,
      config: { file: o.configFile, hash: o.configHash },
      datasets: datasetRefs,
      judge: describeJudge(config.evaluators, { ...judge, cache: judge.cache && o.judgeCache !== false }, judgeProvider ?? ''),
      ...(filtering ? { selection: { filters: describeFilter(o.filter!), cases: items.map((i) => ({ dataset: i.dataset, caseId: itemId(i) })) } } : {}),
    },
  };
}

/** The name of the implicit baseline variant (production's own prompt and model, replayed). */
export const PRODUCTION_VARIANT = 'production';

/**
 * The sampled baseline, per `baseline` (see EvalsConfig): `replay` adds a variant with no
 * overrides named `production` (default for the replay pipeline); a variant's name turns that
 * variant into the baseline; `recorded` (default for module/http) adds nothing.
 */
function baselineVariants(loaded: LoadedConfig, variants: RunVariant[], pipeline: Pipeline, evaluators: RunVariant['evaluators'], provider: string, chosen: string[] | undefined): RunVariant[] {
  const { config, fields } = loaded;
  const mode = config.baseline ?? (config.pipeline.type === 'replay' ? 'replay' : 'recorded');
  if (mode === 'recorded') return [];
  if (mode === 'replay') {
    if (config.pipeline.type !== 'replay') fields.fail(['baseline'], 'is `replay`, which needs the replay pipeline', 'recorded, or the name of a variant that plays the baseline', mode);
    if (config.variants.some((v) => v.name === PRODUCTION_VARIANT)) fields.fail(['baseline'], `is \`replay\`, whose variant is named "${PRODUCTION_VARIANT}", like one of yours`, 'another name for your variant, or baseline: <that variant>', PRODUCTION_VARIANT);
    return [{ name: PRODUCTION_VARIANT, role: 'baseline', pipeline, evaluators, overrides: {}, options: {}, provider }];
  }
  const own = variants.find((v) => v.name === mode);
  if (own) {
    own.role = 'baseline';
    return [];
  }
  if (config.variants.some((v) => v.name === mode) && chosen) {
    throw new UsageError('--variant leaves out the baseline variant', { expected: `--variant ${mode} among the variants (config: baseline: ${mode})`, found: chosen.join(', ') });
  }
  return fields.fail(['baseline'], 'names no variant', `replay, recorded, or one of ${config.variants.map((v) => v.name).join(', ')}`, mode);
}

function selectVariants(all: VariantConfig[], names: string[] | undefined): Array<{ v: VariantConfig; i: number }> {
  const indexed = all.map((v, i) => ({ v, i }));
  if (!names) return indexed;
  const unknown = names.filter((n) => !all.some((v) => v.name === n));
  if (unknown.length) throw new UsageError('unknown --variant', { expected: all.map((v) => v.name).join(', '), found: unknown.join(', ') });
  return indexed.filter(({ v }) => names.includes(v.name));
}

function overridesOf(v: VariantConfig, dir: string, loaded: LoadedConfig, i: number): VariantOverrides {
  const o: VariantOverrides = {};
  if (v.provider) o.provider = v.provider;
  if (v.model) o.model = v.model;
  if (v.params) o.params = v.params;
  if (v.promptTemplate) o.promptTemplate = v.promptTemplate;
  if (v.systemPrompt) o.systemPrompt = v.systemPrompt;
  if (v.systemPromptFile) {
    const file = path.resolve(dir, v.systemPromptFile);
    try {
      o.systemPrompt = readFileSync(file, 'utf8');
    } catch (err) {
      loaded.fields.fail(['variants', i, 'systemPromptFile'], `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, 'a readable file, relative to the config file', v.systemPromptFile);
    }
  }
  return o;
}

async function createPipeline(loaded: LoadedConfig): Promise<Pipeline> {
  const p = loaded.config.pipeline;
  switch (p.type) {
    case 'replay':
      return createReplayPipeline(p.maxToolRounds !== undefined ? { maxToolRounds: p.maxToolRounds } : {});
    case 'module':
      return createModulePipeline(path.resolve(loaded.dir, p.path!), p.export);
    case 'http':
      return createHttpPipeline(p, loaded.config.run.timeoutMs);
    default:
      throw new ConfigError('unknown pipeline type', { file: loaded.file, field: 'pipeline.type', found: String((p as { type: unknown }).type) });
  }
}
