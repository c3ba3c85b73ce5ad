/**
 * Slim results (slim.ts) kept by column: per result a case id and fourteen numbers in typed
 * arrays, names, score lists and error shapes stored once and referred to by index. A slim
 * result object is built again when asked for (`get`), and dies young. A run of 100,000 cases
 * holds ≈15 MB here where the slim objects took ≈55 MB, which is most of what its comparison
 * held at its peak.
 */
import type { Score } from '../evaluators/evaluator.js';
import type { CaseResult } from '../runner/result.js';
import { Interner, slimResult } from './slim.js';

const PASS = 1;
const BASELINE = 2;
const CONFIRM = 4;
const CACHED_SET = 8;
const CACHED = 16;
const USAGE = 32;
const RECORDED = 64;
const RECORDED_PASS = 128;
const ANSWER_MISSING = 256;

// Int32 columns: indexes into `values` (0: absent) and the flags above.
const I_VARIANT = 0;
const I_DATASET = 1;
const I_SCORES = 2;
const I_RECORDED_SCORES = 3;
const I_ERROR = 4;
const I_INCIDENT = 5;
const I_FLAGS = 6;
const INTS = 7;
// Float64 columns (NaN: absent).
const N_REPEAT = 0;
const N_LATENCY = 1;
const N_COST = 2;
const N_INPUT = 3;
const N_OUTPUT = 4;
const N_OFFSET = 5;
const N_LENGTH = 6;
const NUMS = 7;

type SlimError = NonNullable<CaseResult['error']>;

/** The most rows a table is made for up front (≈22 MB of columns); beyond, it grows as it fills. */
const MAX_PRESIZE = 1 << 18;

export class SlimTable {
  private readonly names = new Interner();
  /** Shared values by index; 0 stands for "absent". */
  private readonly values: unknown[] = [undefined];
  private readonly indexOf = new Map<unknown, number>();
  private readonly errors = new Map<string, SlimError>();
  private readonly recorded = new Map<number, NonNullable<CaseResult['recorded']>>();
  private caseIds: string[] = [];
  private ints: Int32Array;
  private nums: Float64Array;
  private rows = 0;

  /**
   * `capacity`: the results expected, when known (a run's unit count): the columns are made that
   * size at once instead of doubling (a doubling holds the old and the new columns at once, and
   * leaves up to half unused). Taken up to MAX_PRESIZE rows (a wrong count costs no more).
   */
  constructor(capacity = 1024) {
    const rows = Number.isFinite(capacity) ? Math.min(MAX_PRESIZE, Math.max(16, Math.ceil(capacity))) : 1024;
    this.ints = new Int32Array(INTS * rows);
    this.nums = new Float64Array(NUMS * rows);
  }

  /** Results stored. */
  get size(): number {
    return this.rows;
  }

  /** Stores the slim form of `r` (and where its line is); returns its row. */
  add(r: CaseResult, offset = 0, length = 0): number {
    const s = slimResult(r, this.names);
    const row = this.rows++;
    if (this.ints.length < INTS * this.rows) {
      const ints = new Int32Array(this.ints.length * 2);
      ints.set(this.ints);
      this.ints = ints;
      const nums = new Float64Array(this.nums.length * 2);
      nums.set(this.nums);
      this.nums = nums;
    }
    this.caseIds.push(s.caseId);
    const i = INTS * row;
    const n = NUMS * row;
    const ints = this.ints;
    const nums = this.nums;
    ints[i + I_VARIANT] = this.ref(s.variant);
    ints[i + I_DATASET] = this.ref(s.dataset);
    ints[i + I_SCORES] = this.ref(s.scores);
    ints[i + I_RECORDED_SCORES] = s.recorded ? this.ref(s.recorded.scores) : 0;
    ints[i + I_ERROR] = s.error ? this.ref(this.sharedError(s.error)) : 0;
    ints[i + I_INCIDENT] = s.incident !== undefined ? this.ref(s.incident) : 0;
    let flags = s.pass ? PASS : 0;
    if (s.role === 'baseline') flags |= BASELINE;
    if (s.phase === 'confirm') flags |= CONFIRM;
    if (s.cached !== undefined) flags |= CACHED_SET | (s.cached ? CACHED : 0);
    if (s.usage) flags |= USAGE;
    if (s.recorded) flags |= RECORDED | (s.recorded.pass ? RECORDED_PASS : 0) | (s.recorded.answerMissing ? ANSWER_MISSING : 0);
    ints[i + I_FLAGS] = flags;
    nums[n + N_REPEAT] = s.repeat;
    nums[n + N_LATENCY] = s.latencyMs;
    nums[n + N_COST] = s.costUsd ?? NaN;
    nums[n + N_INPUT] = s.usage?.inputTokens ?? NaN;
    nums[n + N_OUTPUT] = s.usage?.outputTokens ?? NaN;
    nums[n + N_OFFSET] = offset;
    nums[n + N_LENGTH] = length;
    return row;
  }

  /** The slim result of `row`: equal to `slimResult` of the line stored there (a new object each call). */
  get(row: number): CaseResult {
    const i = INTS * row;
    const n = NUMS * row;
    const ints = this.ints;
    const nums = this.nums;
    const flags = ints[i + I_FLAGS]!;
    const out: CaseResult = {
      caseId: this.caseIds[row]!,
      variant: this.values[ints[i + I_VARIANT]!] as string,
      repeat: nums[n + N_REPEAT]!,
      dataset: this.values[ints[i + I_DATASET]!] as string,
      output: null,
      latencyMs: nums[n + N_LATENCY]!,
      scores: this.values[ints[i + I_SCORES]!] as Score[],
      pass: (flags & PASS) !== 0,
      startedAt: '',
    };
    if (flags & BASELINE) out.role = 'baseline';
    if (flags & CONFIRM) out.phase = 'confirm';
    const cost = nums[n + N_COST]!;
    if (!Number.isNaN(cost)) out.costUsd = cost;
    if (flags & CACHED_SET) out.cached = (flags & CACHED) !== 0;
    if (ints[i + I_INCIDENT]) out.incident = this.values[ints[i + I_INCIDENT]!] as string;
    if (flags & USAGE) {
      const usage: NonNullable<CaseResult['usage']> = {};
      if (!Number.isNaN(nums[n + N_INPUT]!)) usage.inputTokens = nums[n + N_INPUT]!;
      if (!Number.isNaN(nums[n + N_OUTPUT]!)) usage.outputTokens = nums[n + N_OUTPUT]!;
      out.usage = usage;
    }
    if (ints[i + I_ERROR]) out.error = this.values[ints[i + I_ERROR]!] as SlimError;
    if (flags & RECORDED) out.recorded = this.recordedOf(ints[i + I_RECORDED_SCORES]!, flags);
    return out;
  }

  /**
   * The recorded part of a slim result: one shared object per (score list, pass, answer
   * missing), read-only like the score lists. A comparison keeps one per case × variant; a
   * handful of distinct ones serve 100,000 cases.
   */
  private recordedOf(scores: number, flags: number): NonNullable<CaseResult['recorded']> {
    const key = scores * 4 + (flags & RECORDED_PASS ? 2 : 0) + (flags & ANSWER_MISSING ? 1 : 0);
    let hit = this.recorded.get(key);
    if (!hit) {
      hit = { scores: this.values[scores] as Score[], pass: (flags & RECORDED_PASS) !== 0, output: null, ...(flags & ANSWER_MISSING ? { answerMissing: true } : {}) };
      this.recorded.set(key, hit);
    }
    return hit;
  }

  /** Single fields of a row, read without building its slim result. */
  caseId(row: number): string {
    return this.caseIds[row]!;
  }

  variant(row: number): string {
    return this.values[this.ints[INTS * row + I_VARIANT]!] as string;
  }

  dataset(row: number): string {
    return this.values[this.ints[INTS * row + I_DATASET]!] as string;
  }

  isBaseline(row: number): boolean {
    return (this.ints[INTS * row + I_FLAGS]! & BASELINE) !== 0;
  }

  repeat(row: number): number {
    return this.nums[NUMS * row + N_REPEAT]!;
  }

  pass(row: number): boolean {
    return (this.ints[INTS * row + I_FLAGS]! & PASS) !== 0;
  }

  incident(row: number): string | undefined {
    const k = this.ints[INTS * row + I_INCIDENT]!;
    return k ? (this.values[k] as string) : undefined;
  }

  latencyMs(row: number): number {
    return this.nums[NUMS * row + N_LATENCY]!;
  }

  /** Byte offset of the row's line. */
  offset(row: number): number {
    return this.nums[NUMS * row + N_OFFSET]!;
  }

  /** Byte length of the row's line. */
  length(row: number): number {
    return this.nums[NUMS * row + N_LENGTH]!;
  }

  /** The slim results of `rows` (an array: iterated again each time), in that order, built anew each iteration. */
  results(rows: readonly number[]): Iterable<CaseResult> {
    return { [Symbol.iterator]: () => this.iterate(rows) };
  }

  private *iterate(rows: Iterable<number>): Generator<CaseResult> {
    for (const row of rows) yield this.get(row);
  }

  private ref(v: unknown): number {
    let k = this.indexOf.get(v);
    if (k === undefined) {
      k = this.values.length;
      this.values.push(v);
      this.indexOf.set(v, k);
    }
    return k;
  }

  /** One error object per distinct (type, source): slim errors carry no message. */
  private sharedError(e: SlimError): SlimError {
    const key = `${e.type ?? ''}\u0000${e.source ?? ''}\u0000${e.type !== undefined}`;
    let hit = this.errors.get(key);
    if (!hit) this.errors.set(key, (hit = e));
    return hit;
  }
}
