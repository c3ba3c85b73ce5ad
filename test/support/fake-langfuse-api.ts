/**
 * A local fake of the Langfuse public API (node:http on 127.0.0.1, port 0), following the
 * published shapes: `GET /api/public/traces` (page/limit pagination, `meta.totalPages`, filters
 * fromTimestamp, toTimestamp, tags, userId, name, orderBy) and `GET /api/public/traces/{id}`
 * (TraceWithFullDetails), `GET /api/public/v2/scores` (page/limit, name, operator + value,
 * fromTimestamp, toTimestamp, traceTags). Basic auth is checked: wrong keys → 401. Test-only.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A trace as the fake stores it: a TraceWithFullDetails object. */
export type LangfuseTraceDoc = Record<string, unknown> & { id: string; timestamp: string; observations: Array<Record<string, unknown>>; scores: Array<Record<string, unknown>> };

/** A running fake; `requests` lists every path asked, for pagination assertions. */
export interface FakeLangfuse {
  url: string;
  requests: string[];
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function authorized(req: IncomingMessage, publicKey: string, secretKey: string): boolean {
  const expected = `Basic ${Buffer.from(`${publicKey}:${secretKey}`).toString('base64')}`;
  return req.headers.authorization === expected;
}

function listTraces(traces: LangfuseTraceDoc[], q: URLSearchParams): unknown {
  const page = Number(q.get('page') ?? '1');
  const limit = Math.min(Number(q.get('limit') ?? '50'), 100);
  const from = q.get('fromTimestamp');
  const to = q.get('toTimestamp');
  const tags = q.getAll('tags');
  const [field, dir] = (q.get('orderBy') ?? 'timestamp.desc').split('.');
  const matching = traces
    .filter((t) => !from || Date.parse(t.timestamp) >= Date.parse(from))
    .filter((t) => !to || Date.parse(t.timestamp) < Date.parse(to))
    .filter((t) => tags.every((tag) => Array.isArray(t.tags) && t.tags.includes(tag)))
    .filter((t) => !q.get('userId') || t.userId === q.get('userId'))
    .filter((t) => !q.get('name') || t.name === q.get('name'))
    .sort((a, b) => (field === 'timestamp' ? Date.parse(a.timestamp) - Date.parse(b.timestamp) : 0) * (dir === 'asc' ? 1 : -1));
  const data = matching.slice((page - 1) * limit, page * limit).map((t) => ({
    ...t,
    observations: t.observations.map((o) => o.id),
    scores: t.scores.map((s) => s.id),
  }));
  return { data, meta: { page, limit, totalItems: matching.length, totalPages: Math.ceil(matching.length / limit) } };
}

const OPERATORS: Record<string, (a: number, b: number) => boolean> = {
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
  '=': (a, b) => a === b,
  '!=': (a, b) => a !== b,
};

/** `GET /api/public/v2/scores`: page/limit, name, operator + value, from/toTimestamp, traceTags. */
function listScores(traces: LangfuseTraceDoc[], q: URLSearchParams): unknown {
  const page = Number(q.get('page') ?? '1');
  const limit = Math.min(Number(q.get('limit') ?? '50'), 100);
  const op = q.get('operator');
  const value = q.get('value');
  const from = q.get('fromTimestamp');
  const to = q.get('toTimestamp');
  const tags = q.getAll('traceTags');
  const all = traces
    .filter((t) => tags.every((tag) => Array.isArray(t.tags) && t.tags.includes(tag)))
    .flatMap((t) => t.scores.map((s): Record<string, unknown> => ({ ...s, traceId: t.id })))
    .filter((s) => !q.get('name') || s.name === q.get('name'))
    .filter((s) => !op || value === null || (typeof s.value === 'number' && (OPERATORS[op] ?? (() => false))(s.value, Number(value))))
    .filter((s) => !from || Date.parse(String(s.timestamp)) >= Date.parse(from))
    .filter((s) => !to || Date.parse(String(s.timestamp)) < Date.parse(to));
  const data = all.slice((page - 1) * limit, page * limit);
  return { data, meta: { page, limit, totalItems: all.length, totalPages: Math.ceil(all.length / limit) } };
}

/** Starts the fake with the given traces and key pair. */
export async function startFakeLangfuse(traces: LangfuseTraceDoc[], keys = { publicKey: 'pk-lf-test', secretKey: 'sk-lf-test' }): Promise<FakeLangfuse> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    if (!authorized(req, keys.publicKey, keys.secretKey)) {
      send(res, 401, { message: 'Invalid credentials. Confirm that you\'ve configured the correct host.' });
      return;
    }
    if (req.method === 'GET' && url.pathname === '/api/public/traces') {
      send(res, 200, listTraces(traces, url.searchParams));
      return;
    }
    if (req.method === 'GET' && url.pathname === '/api/public/v2/scores') {
      send(res, 200, listScores(traces, url.searchParams));
      return;
    }
    const m = /^\/api\/public\/traces\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && m) {
      const t = traces.find((x) => x.id === decodeURIComponent(m[1] ?? ''));
      if (t) send(res, 200, t);
      else send(res, 404, { message: `Trace ${m[1]} not found within authorized project`, error: 'LangfuseNotFoundError' });
      return;
    }
    send(res, 404, { message: 'Not found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}
