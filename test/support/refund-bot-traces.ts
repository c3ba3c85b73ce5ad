/**
 * The refund bot's eight production traces as a fixture flavour recorded them (Vercel AI SDK,
 * OpenLIT, LangSmith…), built and keyed by user id (each scenario has its own user). Test-only.
 */
import { buildTrace } from '../../src/traces/build.js';
import type { Trace } from '../../src/traces/model.js';
import type { RawTrace, TraceSource } from '../../src/traces/sources/source.js';

/** The traces of one flavour. */
export interface RefundBotTraces {
  all: Trace[];
  /** The trace of a scenario's user (`u-2047`…); throws when it is missing. */
  get(userId: string): Trace;
}

/** Reads every trace of `source`, passing each through `prepare` (e.g. a feedback join) first. */
export async function readRefundBotTraces(source: TraceSource, prepare: (raw: RawTrace) => RawTrace = (r) => r): Promise<RefundBotTraces> {
  const all: Trace[] = [];
  for await (const raw of source.traces()) all.push(buildTrace(prepare(raw)));
  return {
    all,
    get(userId) {
      const t = all.find((x) => x.userId === userId);
      if (!t) throw new Error(`no trace of ${userId}; have ${all.map((x) => x.userId ?? x.traceId).join(', ')}`);
      return t;
    },
  };
}
