/**
 * Fault and latency decisions. A seeded PRNG makes a fault sequence repeatable: the same seed
 * and the same request order give the same faults. Jitter draws from its own stream so that
 * turning jitter on does not shift which requests fail.
 */
import { seededRandom } from '../prng.js';
import { faultKinds } from './types.js';
import type { FaultKind, FaultOptions } from './types.js';

/** A PRNG returning floats in [0, 1), repeatable for a seed. */
export const createPrng = seededRandom;

/** Picks the fault for the next request, or undefined. Always draws exactly one number. */
export type FaultPicker = () => FaultKind | undefined;

/** A picker for `options`; with no positive rate it never draws and never faults. */
export function createFaultPicker(options: FaultOptions = {}): FaultPicker {
  const rates: Record<FaultKind, number> = {
    '429': options.rate429 ?? 0,
    '500': options.rate500 ?? 0,
    '503': options.rate503 ?? 0,
    reset: options.resetRate ?? 0,
    hang: options.hangRate ?? 0,
    malformed: options.malformedRate ?? 0,
    stall: options.stallRate ?? 0,
  };
  if (faultKinds.every((k) => rates[k] <= 0)) return () => undefined;
  const next = createPrng(options.seed ?? 1);
  return () => {
    const u = next();
    let acc = 0;
    for (const kind of faultKinds) {
      acc += rates[kind];
      if (u < acc) return kind;
    }
    return undefined;
  };
}

/** Parses the `x-fake-fault` header; undefined when absent or not a fault kind. */
export function parseFaultHeader(value: string | string[] | undefined): FaultKind | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return v !== undefined && (faultKinds as readonly string[]).includes(v) ? (v as FaultKind) : undefined;
}

/** Returns the delay for the next request: header override, else fixed latency plus seeded jitter. */
export function createLatencyPicker(latencyMs = 0, jitterMs = 0, seed = 1): (header?: string | string[]) => number {
  const next = createPrng((seed ^ 0x9e3779b9) >>> 0);
  return (header) => {
    const h = Array.isArray(header) ? header[0] : header;
    if (h !== undefined) {
      const n = Number(h);
      if (Number.isFinite(n) && n >= 0) return n;
    }
    return jitterMs > 0 ? latencyMs + Math.floor(next() * jitterMs) : latencyMs;
  };
}
