/**
 * Groups result lines into what the comparison reasons about: per dataset × case × variant the
 * candidate's runs, the baseline's runs and the recorded production output. A run is
 * *evaluated* when its output was produced and every evaluator scored it; provider errors,
 * runs that never started and evaluator errors are counted apart and never read as a pass or
 * a fail. A pipeline that throws (the candidate's own code) is an evaluated, failing run.
 */
import type { Score } from '../evaluators/evaluator.js';
import type { CaseResult } from '../runner/result.js';

/** Error types of runs that never started: nothing to replay (replay.ts), budget reached (runner). */
const NOT_STARTED = new Set(['not_replayable', 'skipped_budget']);

/** ProviderError types (providers/provider.ts): the model was never reached or never answered. */
const PROVIDER_TYPES = new Set(['rate_limit', 'server', 'timeout', 'connection', 'bad_request', 'auth', 'invalid_response', 'unknown']);

/** True for runs that never started (see NOT_STARTED). */
export function isNotStarted(error: { type?: string } | undefined): boolean {
  return error?.type !== undefined && NOT_STARTED.has(error.type);
}

export type RunKind = 'evaluated' | 'errored' | 'skipped' | 'unscored';

/** How one result line counts (see the file comment). */
export function runKind(r: Pick<CaseResult, 'error' | 'scores'>): RunKind {
  if (r.error) {
    if (isNotStarted(r.error)) return 'skipped';
    const source = r.error.source ?? (r.error.type !== undefined && PROVIDER_TYPES.has(r.error.type) ? 'provider' : 'pipeline');
    if (source !== 'pipeline') return 'errored';
  }
  if (r.scores.some((s) => s.state === 'unscored')) return 'unscored';
  return 'evaluated';
}

/** One run of one side, reduced to what comparison needs. */
export interface Obs {
  kind: RunKind;
  pass: boolean;
  scores: Score[];
  /** A confirmation re-run (not part of the first pass). */
  confirm: boolean;
}

export function toObs(r: CaseResult): Obs {
  return { kind: runKind(r), pass: r.pass, scores: r.scores, confirm: r.phase === 'confirm' };
}

const KINDS: readonly RunKind[] = ['evaluated', 'errored', 'skipped', 'unscored'];

/** Distinct score lists an {@link ObsInterner} shares Obs for; past this it stops sharing (full, unshared results). */
const MAX_SHARED_LISTS = 4096;

/**
 * Hands out one Obs per (score list, kind, pass, phase): slim results share their score lists
 * (compare/slim.ts), so the 100,000 runs of a large comparison hold a handful of Obs and
 * single-run lists instead of one each. Obs and the lists it returns are never changed.
 */
export class ObsInterner {
  private readonly byScores = new Map<Score[], Array<Obs | undefined>>();
  private readonly singles = new Map<Obs, Obs[]>();

  of(kind: RunKind, pass: boolean, scores: Score[], confirm: boolean): Obs {
    let slots = this.byScores.get(scores);
    if (!slots) {
      if (this.byScores.size >= MAX_SHARED_LISTS) return { kind, pass, scores, confirm };
      slots = [];
      this.byScores.set(scores, slots);
    }
    const slot = KINDS.indexOf(kind) * 4 + (pass ? 2 : 0) + (confirm ? 1 : 0);
    return (slots[slot] ??= { kind, pass, scores, confirm });
  }

  /** The Obs of result `r` (see toObs). */
  ofResult(r: CaseResult): Obs {
    return this.of(runKind(r), r.pass, r.scores, r.phase === 'confirm');
  }

  /** `[o]`, shared for shared Obs. */
  single(o: Obs): Obs[] {
    let list = this.singles.get(o);
    if (!list) {
      if (this.singles.size >= MAX_SHARED_LISTS) return [o];
      this.singles.set(o, (list = [o]));
    }
    return list;
  }
}

/** dataset × case × variant: the unit every verdict is about. */
export function groupKey(dataset: string, caseId: string, variant: string): string {
  // `join` builds one flat string; a template literal builds a rope that, once a Map hashes it,
  // keeps a 32-byte node beside its flat copy, per key of every map over cases or results.
  return [dataset, caseId, variant].join('\u0000');
}

/**
 * Maps by case id, one per dataset × part (a variant, or a variant and a repeat), so maps over
 * every case or result need no key string per entry: the case id strings the results already
 * hold are the keys (a 100,000-case comparison built 100,000 key strings for its groups, its
 * reports and its result reads as many again). The last part's map is remembered: most runs
 * have one dataset and one variant, and a lookup then builds no key at all.
 */
export class ByCaseId<V> {
  private readonly byPart = new Map<string, Map<string, V>>();
  private lastDataset: string | undefined;
  private lastVariant: string | undefined;
  private lastRepeat = 0;
  private last: Map<string, V> | undefined;

  /** The map of `dataset × variant × repeat`; created when `create`. */
  part(dataset: string, variant: string, repeat: number, create: true): Map<string, V>;
  part(dataset: string, variant: string, repeat?: number, create?: boolean): Map<string, V> | undefined;
  part(dataset: string, variant: string, repeat = 0, create = false): Map<string, V> | undefined {
    if (this.last && dataset === this.lastDataset && variant === this.lastVariant && repeat === this.lastRepeat) return this.last;
    const key = [dataset, variant, repeat].join('\u0000');
    let m = this.byPart.get(key);
    if (!m) {
      if (!create) return undefined;
      this.byPart.set(key, (m = new Map()));
    }
    this.lastDataset = dataset;
    this.lastVariant = variant;
    this.lastRepeat = repeat;
    this.last = m;
    return m;
  }

  /** Every part's map, in the order the parts were first made. */
  parts(): IterableIterator<Map<string, V>> {
    return this.byPart.values();
  }
}

/** Values by dataset × case × variant (ByCaseId), in insertion order. */
export class CaseVariantMap<V> {
  private readonly maps = new ByCaseId<V>();
  private readonly order: V[] = [];

  get size(): number {
    return this.order.length;
  }

  get(dataset: string, caseId: string, variant: string): V | undefined {
    return this.maps.part(dataset, variant)?.get(caseId);
  }

  has(dataset: string, caseId: string, variant: string): boolean {
    return this.get(dataset, caseId, variant) !== undefined;
  }

  /** Adds a value for a key that has none yet. */
  add(dataset: string, caseId: string, variant: string, v: V): void {
    this.maps.part(dataset, variant, 0, true).set(caseId, v);
    this.order.push(v);
  }

  values(): IterableIterator<V> {
    return this.order.values();
  }
}

/** dataset × case: where the sampled baseline's runs are pooled. */
export function caseKey(dataset: string, caseId: string): string {
  return [dataset, caseId].join('\u0000');
}

export interface Group {
  dataset: string;
  caseId: string;
  variant: string;
  cand: Obs[];
  /** The production output as recorded, scored by the same evaluators (absent for old results). */
  recorded?: { pass: boolean; scores: Score[]; answerMissing?: boolean };
}

/** Runs that count for pass rates: evaluated ones of the given phase (`obs` itself when all are: not to be changed). */
export function evaluated(obs: readonly Obs[], confirm: boolean): readonly Obs[] {
  const keep = (o: Obs): boolean => o.kind === 'evaluated' && o.confirm === confirm;
  return obs.every(keep) ? obs : obs.filter(keep);
}

/** Share of passing runs; NaN when there are none. */
export function passRate(obs: readonly Obs[]): number {
  if (obs.length === 0) return NaN;
  let passed = 0;
  for (const o of obs) if (o.pass) passed++;
  return passed / obs.length;
}

/** Scores that count (not unscored, not marked not applicable). */
export function scored(scores: readonly Score[]): Score[] {
  return scores.filter((s) => s.state === undefined);
}
