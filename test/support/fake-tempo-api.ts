/**
 * A local fake of Grafana Tempo's HTTP API (node:http on 127.0.0.1, port 0): trace by id
 * (`/api/traces/<id>` → `{batches:[…]}`, `/api/v2/traces/<id>` → `{trace:{resourceSpans}}`,
 * 404 when unknown) and `/api/search?start&end&limit` (seconds; trace ids without leading
 * zeros, as Tempo returns them). An optional bearer token is checked (→ 401). Test-only.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type Obj = Record<string, unknown>;

/** A running fake. */
export interface FakeTempo {
  url: string;
  requests: string[];
  close(): Promise<void>;
}

interface Stored {
  resourceSpans: Obj[];
  startNs: bigint;
  rootName: string;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json' });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

/** Splits OTLP export requests into per-trace resourceSpans, like Tempo's storage does. */
function indexRequests(requests: Obj[]): Map<string, Stored> {
  const byTrace = new Map<string, Stored>();
  for (const req of requests) {
    for (const rs of (req.resourceSpans as Obj[]) ?? []) {
      for (const ss of (rs.scopeSpans as Obj[]) ?? []) {
        for (const span of (ss.spans as Obj[]) ?? []) {
          const id = String(span.traceId).toLowerCase();
          const stored = byTrace.get(id) ?? { resourceSpans: [], startNs: BigInt(String(span.startTimeUnixNano)), rootName: '' };
          const start = BigInt(String(span.startTimeUnixNano));
          if (start <= stored.startNs) stored.startNs = start;
          if (!span.parentSpanId) stored.rootName = String(span.name);
          stored.resourceSpans.push({ resource: rs.resource, scopeSpans: [{ scope: ss.scope, spans: [span] }] });
          byTrace.set(id, stored);
        }
      }
    }
  }
  return byTrace;
}

/** Starts the fake with the given OTLP export requests. */
export async function startFakeTempo(requests: Obj[], opts: { token?: string } = {}): Promise<FakeTempo> {
  const traces = indexRequests(requests);
  const log: string[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    log.push(`${req.method} ${url.pathname}${url.search}`);
    if (opts.token && req.headers.authorization !== `Bearer ${opts.token}`) {
      send(res, 401, 'Unauthorized');
      return;
    }
    const byId = /^\/api(\/v2)?\/traces\/([0-9a-fA-F]+)$/.exec(url.pathname);
    if (byId) {
      const t = traces.get((byId[2] ?? '').toLowerCase().padStart(32, '0'));
      if (!t) send(res, 404, 'trace not found');
      else send(res, 200, byId[1] ? { trace: { resourceSpans: t.resourceSpans } } : { batches: t.resourceSpans });
      return;
    }
    if (url.pathname === '/api/search') {
      const start = url.searchParams.get('start');
      const end = url.searchParams.get('end');
      const limit = Number(url.searchParams.get('limit') ?? '20');
      const found = [...traces.entries()]
        .filter(([, t]) => !start || t.startNs >= BigInt(start) * 1_000_000_000n)
        .filter(([, t]) => !end || t.startNs < BigInt(end) * 1_000_000_000n)
        .sort((a, b) => (a[1].startNs < b[1].startNs ? 1 : -1))
        .slice(0, limit)
        .map(([id, t]) => ({ traceID: id.replace(/^0+/, ''), rootServiceName: 'test-service', rootTraceName: t.rootName, startTimeUnixNano: String(t.startNs) }));
      send(res, 200, { traces: found, metrics: { inspectedTraces: traces.size } });
      return;
    }
    send(res, 404, '404 page not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: log,
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}
