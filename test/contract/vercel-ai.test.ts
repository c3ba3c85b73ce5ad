import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSpan } from '../../src/traces/build.js';
import { OtlpFileSource } from '../../src/traces/sources/otlp-file.js';
import type { RawTrace, TraceQuery, TraceSource } from '../../src/traces/sources/source.js';
import { SCENARIO, type ScenarioTrace } from './scenario.js';
import { otlpTraceId } from './scenario-otlp.js';
import { vercelTraceLines } from './scenario-vercel.js';
import { describeTraceSourceContract } from './trace-source.contract.js';

const ids = Object.fromEntries(SCENARIO.map((t) => [t.key, otlpTraceId(t)])) as Record<ScenarioTrace['key'], string>;

/** The OTLP source with the conventions applied to every span, so the contract checks the steps the vercel_ai convention makes. */
function withConventions(source: TraceSource): TraceSource {
  return {
    format: source.format,
    get stats() {
      return source.stats;
    },
    async *traces(query?: TraceQuery): AsyncIterable<RawTrace> {
      for await (const t of source.traces(query)) yield { ...t, spans: t.spans.map(buildSpan) };
    },
  };
}

describeTraceSourceContract('otlp-file (Vercel AI SDK telemetry, vercel_ai convention)', { feedback: false, steps: true }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'evals-vercel-contract-'));
  const file = join(dir, 'traces.jsonl');
  await writeFile(file, `${vercelTraceLines().join('\n')}\n`);
  return { source: withConventions(new OtlpFileSource([file])), ids, close: () => rm(dir, { recursive: true, force: true }) };
});
