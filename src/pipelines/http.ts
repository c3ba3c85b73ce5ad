/**
 * `http`: posts each case's input to a running service and maps the JSON response to an output.
 * Body: `{ caseId, input, variant: { name, options } }`. The answer is read at `outputPath`
 * (dotted, default `output`); a non-JSON response body is taken as the answer text. A top-level
 * `documents` list in the response is recorded as the candidate's retrieval (see recordDocuments).
 */
import type { PipelineConfig } from '../config/schema.js';
import type { Pipeline } from './pipeline.js';
import { recordDocuments, toOutput } from './module.js';

export function createHttpPipeline(config: Pick<PipelineConfig, 'url' | 'headers' | 'outputPath'>, timeoutMs = 60_000): Pipeline {
  const url = config.url;
  if (!url) throw new Error('http pipeline needs `pipeline.url`');
  const outputPath = (config.outputPath ?? 'output').split('.');
  return {
    kind: 'http',
    async run(c, ctx) {
      const started = performance.now();
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(config.headers ?? {}) },
        body: JSON.stringify({ caseId: c.id, input: c.input, variant: { name: ctx.variant.name, options: ctx.variant.options } }),
        signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(timeoutMs)]),
      });
      const text = await res.text();
      ctx.recordStep({ spanId: 'http', name: `POST ${new URL(url).pathname}`, durationMs: performance.now() - started, status: res.ok ? 'ok' : 'error' });
      if (!res.ok) throw new Error(`service answered HTTP ${res.status}: ${text.slice(0, 200)}`);
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        return { output: text };
      }
      recordDocuments(body, ctx);
      let cur: unknown = body;
      for (const key of outputPath) cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[key] : undefined;
      if (cur === undefined) throw new Error(`service response has no field "${outputPath.join('.')}" (set pipeline.outputPath); got ${text.slice(0, 200)}`);
      return toOutput(typeof cur === 'object' && cur !== null && 'output' in cur ? cur : { output: cur });
    },
  };
}
