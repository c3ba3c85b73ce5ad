/**
 * The content-capture warning: model calls recorded without messages are counted per trace and
 * the setting that records them is named for the instrumentation that made the spans. Checked
 * on real fixtures, with the content removed the way the libraries' switches remove it.
 */
import { describe, expect, it } from 'vitest';
import { buildTrace } from '../../src/traces/build.js';
import { contentCaptureGap } from '../../src/traces/content-capture.js';
import type { Trace } from '../../src/traces/model.js';
import type { RawTrace } from '../../src/traces/sources/source.js';
import { OtlpFileSource } from '../../src/traces/sources/otlp-file.js';
import { fixturePath } from '../fixtures/generate/lib/harness.js';

async function read(files: string[], edit: (raw: RawTrace) => RawTrace = (r) => r): Promise<Trace[]> {
  const out: Trace[] = [];
  for await (const raw of new OtlpFileSource(files).traces()) out.push(buildTrace(edit(raw)));
  return out;
}

/** What `recordInputs: false, recordOutputs: false` leaves on Vercel AI SDK spans. */
const CONTENT_KEYS = /^ai\.(prompt|response\.(text|toolCalls|object))|^ai\.toolCall\.(args|result)/;
function withoutVercelContent(raw: RawTrace): RawTrace {
  return { ...raw, spans: raw.spans.map((s) => ({ ...s, attributes: Object.fromEntries(Object.entries(s.attributes).filter(([k]) => !CONTENT_KEYS.test(k))) })) };
}

describe('contentCaptureGap', () => {
  it('is silent when every successful call has its messages (the failed call does not count)', async () => {
    for (const t of await read([fixturePath('vercel-ai')])) expect(contentCaptureGap(t)).toBeUndefined();
    for (const t of await read([fixturePath('openlit')])) expect(contentCaptureGap(t)).toBeUndefined();
  });

  it('names the Vercel AI SDK switches when recordInputs/recordOutputs were off', async () => {
    const traces = await read([fixturePath('vercel-ai')], withoutVercelContent);
    const order = traces.find((t) => t.userId === 'u-1002') as Trace;
    expect(contentCaptureGap(order)).toMatchObject({ calls: 2, hint: expect.stringContaining('recordInputs') as string });
    expect(traces.filter((t) => contentCaptureGap(t) !== undefined)).toHaveLength(7);
  });

  it('names OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT and the logs file for OTel contrib spans alone', async () => {
    const spansOnly = await read([fixturePath('otel-contrib-openai')]);
    const gaps = spansOnly.map(contentCaptureGap).filter((g) => g !== undefined);
    expect(gaps.reduce((n, g) => n + g.calls, 0)).toBe(6);
    expect(gaps[0]?.hint).toMatch(/OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true.*logs file/);
    const withLogs = await read([fixturePath('otel-contrib-openai'), fixturePath('otel-contrib-openai', 'logs')]);
    expect(withLogs.map(contentCaptureGap).filter((g) => g !== undefined)).toEqual([]);
  });
});
