/**
 * The fake provider's HTTP server: lifecycle, request recording and counters. Listens on
 * 127.0.0.1 only; keep-alive stays on because the benchmark drives it hard.
 */
import { createServer } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { ConfigError } from '../errors.js';
import { createFaultPicker, createLatencyPicker } from './faults.js';
import { handleRequest } from './handler.js';
import type { HandlerContext } from './handler.js';
import { defaultModels } from './render.js';
import { compileRules } from './rules.js';
import { FakeBatchStore } from './batches.js';
import { seededRandom } from '../prng.js';
import type { FakeProvider, FakeProviderOptions, FakeProviderStats, RecordedRequest } from './types.js';

/**
 * Starts a fake OpenAI / Anthropic compatible server on 127.0.0.1.
 * Defaults: port 0 (random), no rules (echo replies), no latency, no faults, the last 1000
 * requests recorded. Throws `ConfigError` for an invalid rule regex or option.
 */
export async function startFakeProvider(options: FakeProviderOptions = {}): Promise<FakeProvider> {
  const rules = compileRules(options.rules ?? []);
  const maxRecorded = options.maxRecorded ?? 1000;
  for (const [field, value] of Object.entries({ latencyMs: options.latencyMs, jitterMs: options.jitterMs, maxRecorded })) {
    if (value !== undefined && !(Number.isFinite(value) && value >= 0)) {
      throw new ConfigError('invalid fake provider option', { field, expected: 'a number ≥ 0', found: String(value) });
    }
  }
  const requests: RecordedRequest[] = [];
  const stats: FakeProviderStats = { total: 0, byStatus: {} };
  const timers = new Set<NodeJS.Timeout>();
  const seed = options.faults?.seed ?? 1;

  const drawReply = seededRandom(seed + 7919);
  const batches = new FakeBatchStore(rules, drawReply, options.batch);
  const ctx: HandlerContext = {
    rules,
    batches,
    models: options.models ?? defaultModels,
    retryAfterSeconds: options.faults?.retryAfterSeconds ?? 1,
    pickFault: createFaultPicker(options.faults),
    pickLatency: createLatencyPicker(options.latencyMs ?? 0, options.jitterMs ?? 0, seed),
    drawReply,
    record(req: IncomingMessage): RecordedRequest {
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const rec: RecordedRequest = {
        seq: ++stats.total,
        method: req.method ?? 'GET',
        path: q === -1 ? url : url.slice(0, q),
        headers: req.headers,
        status: 0,
        receivedAt: Date.now(),
      };
      if (maxRecorded > 0) {
        requests.push(rec);
        if (requests.length > maxRecorded) requests.shift();
      }
      return rec;
    },
    finish(rec: RecordedRequest, status: number): void {
      rec.status = status;
      stats.byStatus[status] = (stats.byStatus[status] ?? 0) + 1;
    },
    later(ms: number, fn: () => void): void {
      const t = setTimeout(() => {
        timers.delete(t);
        fn();
      }, ms);
      timers.add(t);
    },
  };

  const server = createServer({ keepAlive: true, keepAliveTimeout: 30_000 }, (req, res) => handleRequest(ctx, req, res));
  // Undici drops idle sockets after 4 s; a longer server timeout avoids racing it on reuse.
  server.keepAliveTimeout = 30_000;
  server.headersTimeout = 35_000;
  server.requestTimeout = 0;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;

  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    stats,
    batches,
    close(): Promise<void> {
      closing ??= new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        server.close(() => resolve());
        // Hung and keep-alive sockets would hold close() open forever.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
