/**
 * HTTP routes of the batch APIs, in the shapes the official SDKs parse:
 * OpenAI `POST /v1/files` (multipart, purpose `batch`), `GET /v1/files/{id}[/content]`,
 * `POST /v1/batches`, `GET /v1/batches/{id}`; Anthropic `POST /v1/messages/batches`,
 * `GET /v1/messages/batches/{id}` and `GET /v1/messages/batches/{id}/results` (JSONL).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FakeBatchJob, FakeBatchStore } from './batches.js';
import { apiPaths } from './render.js';
import { errorBody } from './sse.js';
import type { FakeApi, RecordedRequest } from './types.js';

/** What the routes need from the handler. */
export interface BatchRouteDeps {
  store: FakeBatchStore;
  readBody(req: IncomingMessage, onBody: (text: string | undefined) => void): void;
  sendJson(rec: RecordedRequest, res: ServerResponse, status: number, body: unknown): void;
  send(rec: RecordedRequest, res: ServerResponse, status: number, body: string, contentType: string): void;
}

const iso = (ms: number): string => new Date(ms).toISOString();
const secs = (ms: number): number => Math.floor(ms / 1000);
const DAY = 24 * 3600 * 1000;

/** Answers a batch route; false when the path is not one. */
export function handleBatchRoute(d: BatchRouteDeps, rec: RecordedRequest, req: IncomingMessage, res: ServerResponse): boolean {
  const { method } = rec;
  const path = rec.path;
  const notFound = (flavor: 'openai' | 'anthropic', what: string): void => d.sendJson(rec, res, 404, errorBody(flavor, 404, `No such ${what}`));
  const withBody = (fn: (text: string) => void): void =>
    d.readBody(req, (text) => (text === undefined ? d.sendJson(rec, res, 413, errorBody('openai', 413, 'request body too large')) : fn(text)));

  if (method === 'POST' && path === '/v1/files') {
    withBody((text) => void uploadFile(d, rec, req, res, text));
    return true;
  }
  let m = /^\/v1\/files\/([^/]+)(\/content)?$/.exec(path);
  if (method === 'GET' && m) {
    const file = d.store.files.get(m[1]!);
    if (!file) notFound('openai', `file: ${m[1]}`);
    else if (m[2]) d.send(rec, res, 200, file.content, 'application/octet-stream');
    else d.sendJson(rec, res, 200, fileObject(file));
    return true;
  }
  if (method === 'POST' && path === '/v1/batches') {
    withBody((text) => createOpenAiBatch(d, rec, res, text));
    return true;
  }
  m = /^\/v1\/batches\/([^/]+)$/.exec(path);
  if (method === 'GET' && m) {
    const job = d.store.jobs.get(m[1]!);
    if (!job || job.flavor !== 'openai') notFound('openai', `batch: ${m[1]}`);
    else d.sendJson(rec, res, 200, openAiBatchObject(d.store, job));
    return true;
  }
  if (method === 'POST' && path === '/v1/messages/batches') {
    withBody((text) => createAnthropicBatch(d, rec, res, text));
    return true;
  }
  m = /^\/v1\/messages\/batches\/([^/]+)(\/results)?$/.exec(path);
  if (method === 'GET' && m) {
    const job = d.store.jobs.get(m[1]!);
    const origin = `http://${req.headers.host ?? '127.0.0.1'}`;
    if (!job || job.flavor !== 'anthropic') notFound('anthropic', `message batch: ${m[1]}`);
    else if (!m[2]) d.sendJson(rec, res, 200, messageBatchObject(d.store, job, origin));
    else if (!d.store.ended(job)) d.sendJson(rec, res, 400, errorBody('anthropic', 400, `batch ${job.id} is still in progress`));
    else d.send(rec, res, 200, anthropicResults(job), 'application/binary');
    return true;
  }
  return false;
}

async function uploadFile(d: BatchRouteDeps, rec: RecordedRequest, req: IncomingMessage, res: ServerResponse, text: string): Promise<void> {
  let form: FormData;
  try {
    form = await new Request('http://fake.invalid/', { method: 'POST', headers: { 'content-type': String(req.headers['content-type'] ?? '') }, body: text }).formData();
  } catch {
    d.sendJson(rec, res, 400, errorBody('openai', 400, 'expected a multipart/form-data body with `file` and `purpose`'));
    return;
  }
  const file = form.get('file');
  const purpose = form.get('purpose');
  if (file === null || typeof file === 'string' || typeof purpose !== 'string') {
    d.sendJson(rec, res, 400, errorBody('openai', 400, 'missing required parameter: file or purpose'));
    return;
  }
  d.sendJson(rec, res, 200, fileObject(d.store.addFile(file.name, purpose, await file.text())));
}

function fileObject(f: { id: string; filename: string; purpose: string; createdAt: number; content: string }): unknown {
  return { id: f.id, object: 'file', bytes: Buffer.byteLength(f.content), created_at: secs(f.createdAt), filename: f.filename, purpose: f.purpose, status: 'processed', expires_at: null, status_details: null };
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function createOpenAiBatch(d: BatchRouteDeps, rec: RecordedRequest, res: ServerResponse, text: string): void {
  const body = parseObject(text);
  const file = typeof body?.['input_file_id'] === 'string' ? d.store.files.get(body['input_file_id']) : undefined;
  const endpoint = String(body?.['endpoint'] ?? '');
  const api: FakeApi | undefined = apiPaths[endpoint];
  if (!body || !file) return void d.sendJson(rec, res, 400, errorBody('openai', 400, 'input_file_id names no uploaded file'));
  if (!api) return void d.sendJson(rec, res, 400, errorBody('openai', 400, `unsupported endpoint: ${endpoint}`));
  if (body['completion_window'] !== '24h') return void d.sendJson(rec, res, 400, errorBody('openai', 400, 'completion_window must be 24h'));
  const requests: Array<{ customId: string; api: FakeApi; body: Record<string, unknown> }> = [];
  const lines = file.content.split('\n').filter((l) => l.trim() !== '');
  for (const [i, line] of lines.entries()) {
    const o = parseObject(line);
    const reqBody = o?.['body'];
    if (!o || typeof o['custom_id'] !== 'string' || o['url'] !== endpoint || typeof reqBody !== 'object' || reqBody === null) {
      return void d.sendJson(rec, res, 400, errorBody('openai', 400, `input file line ${i + 1}: expected {custom_id, method: "POST", url: "${endpoint}", body}`));
    }
    requests.push({ customId: o['custom_id'], api, body: reqBody as Record<string, unknown> });
  }
  const job = d.store.create('openai', requests, { endpoint, inputFileId: file.id });
  d.sendJson(rec, res, 200, openAiBatchObject(d.store, job));
}

function openAiBatchObject(store: FakeBatchStore, job: FakeBatchJob): unknown {
  store.finishFiles(job);
  const ended = store.ended(job);
  const shown = job.items.slice(0, store.revealed(job));
  const completed = shown.filter((i) => i.kind === 'succeeded').length;
  const failed = shown.filter((i) => i.kind === 'errored').length;
  const status = ended ? (job.expires ? 'expired' : 'completed') : 'in_progress';
  return {
    id: job.id, object: 'batch', endpoint: job.endpoint, errors: null, input_file_id: job.inputFileId, completion_window: '24h', status,
    output_file_id: job.outputFileId ?? null, error_file_id: job.errorFileId ?? null,
    created_at: secs(job.createdAt), in_progress_at: secs(job.createdAt), expires_at: secs(job.createdAt + DAY),
    finalizing_at: ended ? secs(job.endsAt) : null, completed_at: ended && !job.expires ? secs(job.endsAt) : null, failed_at: null,
    expired_at: ended && job.expires ? secs(job.endsAt) : null, cancelling_at: null, cancelled_at: null,
    request_counts: { total: job.items.length, completed, failed }, metadata: null,
  };
}

function createAnthropicBatch(d: BatchRouteDeps, rec: RecordedRequest, res: ServerResponse, text: string): void {
  const body = parseObject(text);
  const list = body?.['requests'];
  if (!Array.isArray(list) || list.length === 0) return void d.sendJson(rec, res, 400, errorBody('anthropic', 400, 'requests: expected a non-empty list'));
  const requests: Array<{ customId: string; api: FakeApi; body: Record<string, unknown> }> = [];
  const seen = new Set<string>();
  for (const [i, r] of list.entries()) {
    const o = (typeof r === 'object' && r !== null ? r : {}) as Record<string, unknown>;
    const id = o['custom_id'];
    const params = o['params'];
    if (typeof id !== 'string' || !/^[a-zA-Z0-9_-]{1,64}$/.test(id) || typeof params !== 'object' || params === null) {
      return void d.sendJson(rec, res, 400, errorBody('anthropic', 400, `requests.${i}: expected {custom_id (1-64 of [a-zA-Z0-9_-]), params}`));
    }
    if (seen.has(id)) return void d.sendJson(rec, res, 400, errorBody('anthropic', 400, `requests.${i}.custom_id: duplicate ${id}`));
    seen.add(id);
    requests.push({ customId: id, api: 'messages', body: params as Record<string, unknown> });
  }
  d.sendJson(rec, res, 200, messageBatchObject(d.store, d.store.create('anthropic', requests), ''));
}

function messageBatchObject(store: FakeBatchStore, job: FakeBatchJob, origin: string): unknown {
  const ended = store.ended(job);
  const shown = job.items.slice(0, store.revealed(job));
  const count = (k: string): number => shown.filter((i) => i.kind === k).length;
  return {
    id: job.id, type: 'message_batch', processing_status: ended ? 'ended' : 'in_progress',
    request_counts: { processing: job.items.length - shown.length, succeeded: count('succeeded'), errored: count('errored'), canceled: 0, expired: count('expired') },
    created_at: iso(job.createdAt), expires_at: iso(job.createdAt + DAY), ended_at: ended ? iso(job.endsAt) : null,
    archived_at: null, cancel_initiated_at: null, results_url: ended && origin ? `${origin}/v1/messages/batches/${job.id}/results` : null,
  };
}

function anthropicResults(job: FakeBatchJob): string {
  return `${job.items
    .map((it) => {
      const result = it.kind === 'succeeded' ? { type: 'succeeded', message: it.body } : it.kind === 'errored' ? { type: 'errored', error: it.body } : { type: 'expired' };
      return JSON.stringify({ custom_id: it.customId, result });
    })
    .join('\n')}\n`;
}
