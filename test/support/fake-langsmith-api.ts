/**
 * A local fake of the LangSmith API (node:http on 127.0.0.1, port 0) following the published
 * shapes: `GET /api/v1/sessions?name=`, `POST /api/v1/runs/query` (session, trace, is_root,
 * filter with gte/lt(start_time) and has(tags), limit, cursor → `{runs, cursors:{next}}`) and
 * `GET /api/v1/feedback?run=…`. Checks `x-api-key`: wrong key → 401. Test-only.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type Obj = Record<string, unknown>;

/** A running fake; `queries` keeps every runs-query body, for pagination assertions. */
export interface FakeLangsmith {
  url: string;
  queries: Obj[];
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function timeOf(v: unknown): number {
  if (typeof v === 'number') return v;
  const s = String(v);
  return Date.parse(/Z$|[+-]\d\d:\d\d$/.test(s) ? s : `${s}Z`);
}

/** Applies the subset of the filter language the client sends. */
function matchesFilter(run: Obj, filter: string | undefined): boolean {
  if (!filter) return true;
  const start = timeOf(run.start_time);
  for (const m of filter.matchAll(/(gte|lt)\(start_time, "([^"]+)"\)/g)) {
    const bound = Date.parse(m[2] ?? '');
    if (m[1] === 'gte' ? start < bound : start >= bound) return false;
  }
  for (const m of filter.matchAll(/has\(tags, "([^"]+)"\)/g)) {
    if (!Array.isArray(run.tags) || !run.tags.includes(m[1])) return false;
  }
  return true;
}

function queryRuns(runs: Obj[], body: Obj): Obj {
  const sessions = Array.isArray(body.session) ? body.session : [];
  const limit = typeof body.limit === 'number' ? body.limit : 100;
  const offset = typeof body.cursor === 'string' ? Number(Buffer.from(body.cursor, 'base64').toString('utf8')) : 0;
  const matching = runs
    .filter((r) => sessions.length === 0 || sessions.includes(r.session_id))
    .filter((r) => body.trace === undefined || r.trace_id === body.trace)
    .filter((r) => body.is_root !== true || r.parent_run_id === null)
    .filter((r) => matchesFilter(r, typeof body.filter === 'string' ? body.filter : undefined))
    .sort((a, b) => timeOf(b.start_time) - timeOf(a.start_time));
  const page = matching.slice(offset, offset + limit);
  const next = offset + limit < matching.length ? Buffer.from(String(offset + limit)).toString('base64') : null;
  return { runs: page, cursors: { next } };
}

/** Starts the fake with one project, its runs and feedback. */
export async function startFakeLangsmith(data: { project: { id: string; name: string }; runs: Obj[]; feedback: Obj[] }, apiKey = 'lsv2_test'): Promise<FakeLangsmith> {
  const queries: Obj[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.headers['x-api-key'] !== apiKey) {
      send(res, 401, { detail: 'Invalid token' });
      return;
    }
    if (req.method === 'GET' && url.pathname === '/api/v1/sessions') {
      const name = url.searchParams.get('name');
      send(res, 200, [data.project].filter((p) => !name || p.name === name));
      return;
    }
    if (req.method === 'GET' && url.pathname === '/api/v1/feedback') {
      const runIds = url.searchParams.getAll('run');
      send(res, 200, data.feedback.filter((f) => runIds.includes(String(f.run_id))));
      return;
    }
    if (req.method === 'POST' && url.pathname === '/api/v1/runs/query') {
      let text = '';
      req.on('data', (c: Buffer) => (text += c.toString('utf8')));
      req.on('end', () => {
        const body = JSON.parse(text) as Obj;
        queries.push(body);
        send(res, 200, queryRuns(data.runs, body));
      });
      return;
    }
    send(res, 404, { detail: 'Not Found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    queries,
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}
