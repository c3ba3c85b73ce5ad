import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { padTraceId, TempoSource } from '../../src/traces/sources/tempo.js';
import { startFakeTempo } from '../support/fake-tempo-api.js';
import { traceRequest } from './otlp-builders.js';
import { SCENARIO, type ScenarioTrace } from './scenario.js';
import { otlpTraceId, otlpTraceLines } from './scenario-otlp.js';
import { describeTraceSourceContract } from './trace-source.contract.js';

const ids = Object.fromEntries(SCENARIO.map((t) => [t.key, otlpTraceId(t)])) as Record<ScenarioTrace['key'], string>;
const requests = otlpTraceLines().map((l) => JSON.parse(l) as Record<string, unknown>);

describeTraceSourceContract('tempo (fake server)', { feedback: false, steps: false }, async () => {
  const fake = await startFakeTempo(requests);
  return {
    source: new TempoSource({ baseUrl: fake.url }),
    ids,
    attributes: { chat: { 'gen_ai.request.model': 'gpt-4o-mini' }, lookup: { 'gen_ai.tool.call.arguments': '{"order_id":"A1"}' } },
    close: fake.close,
  };
});

describeTraceSourceContract('tempo (fake server, v2 trace API)', { feedback: false, steps: false }, async () => {
  const fake = await startFakeTempo(requests);
  return { source: new TempoSource({ baseUrl: fake.url, apiVersion: 'v2' }), ids, attributes: { chat: { 'gen_ai.request.model': 'gpt-4o-mini' } }, close: fake.close };
});

describe('tempo specifics', () => {
  it('pads ids that search returns without leading zeros', async () => {
    const id = '0000000000000000000000000000abcd';
    const fake = await startFakeTempo([traceRequest([{ traceId: id, spanId: '00000000000000aa', name: 'root', startMs: Date.UTC(2025, 0, 1) }])]);
    try {
      expect(padTraceId('abcd')).toBe(id);
      const got: string[] = [];
      for await (const t of new TempoSource({ baseUrl: fake.url }).traces()) got.push(t.traceId);
      expect(got).toEqual([id]);
      expect(fake.requests).toContain(`GET /api/traces/${id}`);
    } finally {
      await fake.close();
    }
  });

  it('sends the bearer token and reports a 401 as ConfigError', async () => {
    const fake = await startFakeTempo(requests, { token: 'secret' });
    try {
      const ok = new TempoSource({ baseUrl: fake.url, headers: { authorization: 'Bearer secret' } });
      let n = 0;
      for await (const _ of ok.traces({ traceIds: [ids.rag] })) n++;
      expect(n).toBe(1);
      const bad = new TempoSource({ baseUrl: fake.url });
      await expect((async () => {
        for await (const _ of bad.traces({ traceIds: [ids.rag] })) void _;
      })()).rejects.toBeInstanceOf(ConfigError);
    } finally {
      await fake.close();
    }
  });
});
