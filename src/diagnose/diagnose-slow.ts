/**
 * `slow_step`: a step that took unusually long, by an absolute limit, relative to its peers of
 * the same type, or as a share of the whole trace. Only leaf-like steps are judged (llm,
 * retrieval, tool, parse, prompt, embedding): a chain or an unrecognised wrapper is as slow as
 * what it wraps, and when a slow step wraps another slow step only the inner one is reported.
 */
import type { Diagnosis } from '../datasets/case.js';
import type { Span, StepType, Trace } from '../traces/model.js';
import { rootsOf } from '../traces/model.js';
import { descendantsOf, durationMs, finding, formatMs } from './diagnose-span.js';

/** Thresholds of the slow_step rule; every field has a default (see `resolveSlow`). */
export interface SlowOptions {
  /** Any step longer than this is slow. Default 10,000 ms. */
  absoluteMs?: number;
  /** Slow when longer than `factor` × the median of same-type steps (and `minMs`). Default 3. */
  factor?: number;
  /** The relative rule ignores steps shorter than this. Default 2,000 ms. */
  minMs?: number;
  /** Share of the trace's duration a non-root, non-llm step may take before it is slow. Default 0.6. */
  shareOfTrace?: number;
  /** The share rule applies only to traces longer than this. Default 5,000 ms. */
  minTraceMs?: number;
}

/** The relative rule needs this many steps of a type for a median to mean anything. */
const MIN_PEERS = 3;

/** slow_step findings, innermost step only. */
export function diagnoseSlowSteps(trace: Trace, options: SlowOptions = {}): Diagnosis[] {
  const o = resolveSlow(options);
  const candidates = trace.spans.filter((s) => s.step !== undefined && s.step.type !== 'chain');
  const medians = mediansByType(candidates);
  const traceMs = Math.max(0, trace.endTimeMs - trace.startTimeMs);
  const roots = new Set(rootsOf(trace).map((s) => s.spanId));

  const slow = new Map<string, { span: Span; reason: string }>();
  for (const span of candidates) {
    const type = (span.step as { type: StepType }).type;
    const ms = durationMs(span);
    const median = medians.get(type);
    let reason: string | undefined;
    if (ms > o.absoluteMs) {
      reason = `The ${type} step took ${formatMs(ms)}, above the ${formatMs(o.absoluteMs)} limit.`;
    } else if (median !== undefined && median > 0 && ms > o.factor * median && ms > o.minMs) {
      reason = `The ${type} step took ${formatMs(ms)}, ${(ms / median).toFixed(1)}× the median ${type} step in this trace (${formatMs(median)}).`;
    } else if (type !== 'llm' && !roots.has(span.spanId) && traceMs > o.minTraceMs && ms >= o.shareOfTrace * traceMs) {
      // A model call taking most of a request is the normal case; a retrieval or tool doing so is not.
      reason = `The ${type} step took ${formatMs(ms)}, ${Math.round((ms / traceMs) * 100)}% of the ${formatMs(traceMs)} trace.`;
    }
    if (reason !== undefined) slow.set(span.spanId, { span, reason });
  }

  const out: Diagnosis[] = [];
  for (const { span, reason } of slow.values()) {
    const wrapsSlow = descendantsOf(trace, span.spanId).some((d) => slow.has(d.spanId));
    if (!wrapsSlow) out.push(finding(span, 'slow_step', reason));
  }
  return out;
}

/** Options with defaults filled in. */
export function resolveSlow(options: SlowOptions): Required<SlowOptions> {
  return {
    absoluteMs: options.absoluteMs ?? 10_000,
    factor: options.factor ?? 3,
    minMs: options.minMs ?? 2_000,
    shareOfTrace: options.shareOfTrace ?? 0.6,
    minTraceMs: options.minTraceMs ?? 5_000,
  };
}

function mediansByType(spans: Span[]): Map<StepType, number> {
  const byType = new Map<StepType, number[]>();
  for (const s of spans) {
    const type = (s.step as { type: StepType }).type;
    const list = byType.get(type) ?? [];
    list.push(durationMs(s));
    byType.set(type, list);
  }
  const out = new Map<StepType, number>();
  for (const [type, list] of byType) {
    if (list.length < MIN_PEERS) continue;
    const sorted = [...list].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    out.set(type, sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2);
  }
  return out;
}
