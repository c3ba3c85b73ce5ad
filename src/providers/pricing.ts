/**
 * Model prices in USD per 1M tokens and `costOf`. Prices drift; the table is a default the
 * config extends or overrides (`mergePricing`). An unknown model has an unknown cost
 * (`undefined`, never 0), and the tracker counts such calls so reports can say so.
 */
import type { Usage } from '../traces/model.js';

/** USD per 1M tokens. `cachedInput` defaults to `input` when absent; `cacheWrite` likewise. */
export interface ModelPrice {
  input: number;
  output: number;
  cachedInput?: number;
  cacheWrite?: number;
}

/** Model name (or prefix ending in `*`) → price. */
export type PriceTable = Record<string, ModelPrice>;

/** Public list prices at the time of writing. Extend from config rather than editing. */
export const DEFAULT_PRICES: PriceTable = {
  'gpt-4o': { input: 2.5, output: 10, cachedInput: 1.25 },
  'gpt-4o-mini': { input: 0.15, output: 0.6, cachedInput: 0.075 },
  'gpt-4.1': { input: 2, output: 8, cachedInput: 0.5 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6, cachedInput: 0.1 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4, cachedInput: 0.025 },
  'gpt-5': { input: 1.25, output: 10, cachedInput: 0.125 },
  'gpt-5-mini': { input: 0.25, output: 2, cachedInput: 0.025 },
  'gpt-5-nano': { input: 0.05, output: 0.4, cachedInput: 0.005 },
  o3: { input: 2, output: 8, cachedInput: 0.5 },
  'o4-mini': { input: 1.1, output: 4.4, cachedInput: 0.275 },
  'claude-opus-4*': { input: 15, output: 75, cachedInput: 1.5, cacheWrite: 18.75 },
  'claude-sonnet-4*': { input: 3, output: 15, cachedInput: 0.3, cacheWrite: 3.75 },
  'claude-3-7-sonnet*': { input: 3, output: 15, cachedInput: 0.3, cacheWrite: 3.75 },
  'claude-3-5-haiku*': { input: 0.8, output: 4, cachedInput: 0.08, cacheWrite: 1 },
  'claude-haiku-4*': { input: 1, output: 5, cachedInput: 0.1, cacheWrite: 1.25 },
  // embeddings (semantic-similarity): input only
  'text-embedding-3-small': { input: 0.02, output: 0 },
  'text-embedding-3-large': { input: 0.13, output: 0 },
};

/** Default table overlaid with the config's entries (config wins). */
export function mergePricing(overrides: PriceTable = {}, base: PriceTable = DEFAULT_PRICES): PriceTable {
  return { ...base, ...overrides };
}

/**
 * Finds a model's price: exact name, then a dated snapshot of a listed model
 * (`gpt-4o-2024-08-06` → `gpt-4o`), then the longest matching `prefix*` entry.
 */
export function findPrice(model: string, table: PriceTable): ModelPrice | undefined {
  const exact = table[model];
  if (exact) return exact;
  const undated = model.replace(/-\d{4}-\d{2}-\d{2}$|-\d{8}$/, '');
  if (undated !== model && table[undated]) return table[undated];
  let best: { len: number; price: ModelPrice } | undefined;
  for (const [key, price] of Object.entries(table)) {
    if (!key.endsWith('*')) continue;
    const prefix = key.slice(0, -1);
    if (model.startsWith(prefix) && (!best || prefix.length > best.len)) best = { len: prefix.length, price };
  }
  return best?.price;
}

/**
 * Cost in USD of one call. `usage.inputTokens` includes cached and cache-write tokens (the
 * providers normalize Anthropic's to match). Returns undefined for an unknown model or no usage.
 */
export function costOf(model: string | undefined, usage: Usage | undefined, table: PriceTable): number | undefined {
  if (model === undefined || usage === undefined) return undefined;
  const price = findPrice(model, table);
  if (!price) return undefined;
  const cached = usage.cachedInputTokens ?? 0;
  const written = usage.cacheCreationInputTokens ?? 0;
  const plainInput = Math.max(0, (usage.inputTokens ?? 0) - cached - written);
  const usd =
    plainInput * price.input +
    cached * (price.cachedInput ?? price.input) +
    written * (price.cacheWrite ?? price.input) +
    (usage.outputTokens ?? 0) * price.output;
  return usd / 1_000_000;
}

/**
 * Share of the list price a provider batch API bills: OpenAI's Batch API and Anthropic's
 * Message Batches both charge 50% of the synchronous price, cache discounts included.
 */
export const BATCH_PRICE_FACTOR = 0.5;

/** Running totals of spend, with the models whose cost was unknown and how often. */
export class CostTracker {
  totalUsd = 0;
  /** What batch-priced calls cost (part of `totalUsd`), and what they saved against the list price. */
  batchUsd = 0;
  batchSavedUsd = 0;
  readonly unknownModels = new Map<string, number>();

  constructor(private readonly table: PriceTable) {}

  /**
   * Adds one call; returns its cost (undefined when unknown, which is counted). `batch`: the
   * call was answered by a provider batch, billed at {@link BATCH_PRICE_FACTOR} of the list price.
   */
  add(model: string | undefined, usage: Usage | undefined, opts: { batch?: boolean } = {}): number | undefined {
    const list = costOf(model, usage, this.table);
    if (list === undefined) {
      const key = model ?? '(no model)';
      this.unknownModels.set(key, (this.unknownModels.get(key) ?? 0) + 1);
      return undefined;
    }
    const usd = opts.batch ? list * BATCH_PRICE_FACTOR : list;
    if (opts.batch) {
      this.batchUsd += usd;
      this.batchSavedUsd += list - usd;
    }
    this.totalUsd += usd;
    return usd;
  }

  /** Calls whose cost could not be computed. */
  get unknownCalls(): number {
    let n = 0;
    for (const c of this.unknownModels.values()) n += c;
    return n;
  }
}
