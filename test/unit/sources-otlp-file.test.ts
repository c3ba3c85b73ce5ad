import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError, NotFoundError } from '../../src/errors.js';
import { UNMATCHED_SPAN_ATTR } from '../../src/traces/otlp/assemble.js';
import { OtlpFileSource } from '../../src/traces/sources/otlp-file.js';
import type { RawTrace, TraceQuery } from '../../src/traces/sources/source.js';
import { logsRequest, traceRequest, type SpanSpec } from '../contract/otlp-builders.js';

const A = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const B = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
const T = Date.UTC(2025, 5, 1);

function span(traceId: string, id: string, parent: string | undefined, startMs: number): SpanSpec {
  return { traceId, spanId: id.repeat(16).slice(0, 16), name: `s-${id}`, startMs, ...(parent ? { parentSpanId: parent.repeat(16).slice(0, 16) } : {}) };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'evals-otlp-file-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, text: string): Promise<string> {
  const p = join(dir, name);
  await writeFile(p, text);
  return p;
}

async function read(files: string[], query?: TraceQuery): Promise<{ traces: RawTrace[]; source: OtlpFileSource }> {
  const source = new OtlpFileSource(files);
  const traces: RawTrace[] = [];
  for await (const t of source.traces(query)) traces.push(t);
  return { traces, source };
}

describe('OtlpFileSource', () => {
  it('assembles a trace split over 3 lines, in end order, next to 2 traces sharing a line', async () => {
    const lines = [
      traceRequest([span(A, '3', '1', T + 20)]),
      traceRequest([span(A, '2', '1', T + 10), span(B, '5', undefined, T + 1000)]),
      traceRequest([span(A, '1', undefined, T), span(B, '6', '5', T + 1001)]),
    ];
    const p = await file('split.jsonl', `${lines.map((l) => JSON.stringify(l)).join('\n')}\n\n`);
    const { traces, source } = await read([p]);
    expect(traces.map((t) => t.traceId)).toEqual([A, B]);
    expect(traces[0]?.spans.map((s) => s.name)).toEqual(['s-1', 's-2', 's-3']);
    expect(traces[0]?.name).toBe('s-1');
    expect(traces[1]?.spans).toHaveLength(2);
    expect(source.stats).toEqual({ records: 3, skipped: 0, skipReasons: [] });
  });

  it('reads a pretty-printed single request', async () => {
    const p = await file('pretty.json', JSON.stringify(traceRequest([span(A, '1', undefined, T), span(A, '2', '1', T + 5)]), null, 2));
    const { traces } = await read([p]);
    expect(traces).toHaveLength(1);
    expect(traces[0]?.spans).toHaveLength(2);
  });

  it('names file, line, expectation and an excerpt for a malformed line; skipInvalid counts it', async () => {
    const good = JSON.stringify(traceRequest([span(A, '1', undefined, T)]));
    const p = await file('bad.jsonl', `${good}\n{"resourceSpans": [ oops\n${JSON.stringify({ hello: 'world' })}\n`);
    const err = await read([p]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    const msg = (err as Error).message;
    expect(msg).toContain(`${p}, line 2`);
    expect(msg).toContain('expected: an OTLP/JSON ExportTraceServiceRequest');
    expect(msg).toContain('oops');
    const { traces, source } = await read([p], { skipInvalid: true });
    expect(traces).toHaveLength(1);
    expect(source.stats.skipped).toBe(2);
    expect(source.stats.skipReasons[1]).toContain(`${p}:3: not an OTLP export request`);
  });

  it('reports a span without a trace id with its field path', async () => {
    const bad = traceRequest([{ ...span(A, '1', undefined, T), traceId: '' }]);
    const p = await file('noid.jsonl', `${JSON.stringify(bad)}\n`);
    const err = (await read([p]).catch((e: unknown) => e)) as InputError;
    expect(err.details).toMatchObject({ file: p, line: 1, field: 'resourceSpans[0].scopeSpans[0].spans[0].traceId' });
  });

  it('names the element and field of a bad record in a JSON array file', async () => {
    const bad = traceRequest([{ ...span(A, '1', undefined, T), traceId: '' }]);
    const p = await file('array.json', JSON.stringify([traceRequest([span(B, '1', undefined, T)]), bad], null, 2));
    const err = (await read([p]).catch((e: unknown) => e)) as InputError;
    expect(err).toBeInstanceOf(InputError);
    expect(err.details).toMatchObject({ file: p, field: '[1].resourceSpans[0].scopeSpans[0].spans[0].traceId' });
    const { traces, source } = await read([p], { skipInvalid: true });
    expect(traces.map((t) => t.traceId)).toEqual([B]);
    expect(source.stats.skipped).toBe(1);
  });

  it('joins a separate logs file; logs of a missing span go to the root, marked', async () => {
    const spans = await file('j.jsonl', `${JSON.stringify(traceRequest([span(A, '1', undefined, T), span(A, '2', '1', T + 5)]))}\n`);
    const logs = await file(
      'j.logs.jsonl',
      `${JSON.stringify(logsRequest([
        { traceId: A.toUpperCase(), spanId: '2222222222222222', name: 'gen_ai.choice', timeMs: T + 6, body: 'hi' },
        { traceId: A, spanId: '9999999999999999', name: 'gen_ai.user.message', timeMs: T + 1, body: 'q' },
      ]))}\n`,
    );
    const { traces } = await read([spans, logs]);
    const [root, child] = traces[0]?.spans ?? [];
    expect(child?.logs.map((l) => [l.name, l.body])).toEqual([['gen_ai.choice', 'hi']]);
    expect(root?.logs[0]?.attributes[UNMATCHED_SPAN_ATTR]).toBe('9999999999999999');
  });

  it('accepts base64 ids and upper-case hex, and finds traces case-insensitively', async () => {
    const b64 = Buffer.from(B, 'hex').toString('base64');
    const req = traceRequest([{ ...span(B, '1', undefined, T), traceId: b64, spanId: Buffer.from('1111111111111111', 'hex').toString('base64') }]);
    const p = await file('b64.jsonl', `${JSON.stringify(req)}\n${JSON.stringify(traceRequest([span(A.toUpperCase(), '1', undefined, T + 1)]))}\n`);
    const { traces } = await read([p], { traceIds: [B.toUpperCase()] });
    expect(traces.map((t) => [t.traceId, t.spans[0]?.spanId])).toEqual([[B, '1111111111111111']]);
    const err = await read([p], { traceIds: [A, 'cccccccccccccccccccccccccccccccc'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect((err as Error).message).toContain('cccccccccccccccccccccccccccccccc');
    expect((err as Error).message).toContain('b64.jsonl');
  });

  it('applies since/until by trace start and limit in start order', async () => {
    const lines = [3, 1, 2].map((i) => JSON.stringify(traceRequest([span(String(i).repeat(32), String(i), undefined, T + i * 1000)])));
    const p = await file('times.jsonl', lines.join('\n'));
    const ids = async (q: TraceQuery): Promise<string[]> => (await read([p], q)).traces.map((t) => t.traceId[0] ?? '');
    expect(await ids({})).toEqual(['1', '2', '3']);
    expect(await ids({ since: new Date(T + 2000) })).toEqual(['2', '3']);
    expect(await ids({ until: new Date(T + 2000) })).toEqual(['1']);
    expect(await ids({ limit: 2 })).toEqual(['1', '2']);
  });
});
