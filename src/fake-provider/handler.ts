/**
 * The per-request path: read the body, pick a fault and a delay, then answer. Kept free of
 * file I/O and logging because this is the benchmark's backend.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { handleBatchRoute, type BatchRouteDeps } from './batch-routes.js';
import type { FakeBatchStore } from './batches.js';
import { renderEmbeddings } from './embeddings.js';
import { parseFaultHeader } from './faults.js';
import type { FaultPicker } from './faults.js';
import { normalizeRequest } from './normalize.js';
import { apiPaths, renderModelList, renderers } from './render.js';
import { planReply } from './rules.js';
import type { CompiledRule } from './rules.js';
import { errorBody, flavorOf, malformedBody } from './sse.js';
import type { ErrorFlavor } from './sse.js';
import type { FakeApi, FaultKind, RecordedRequest } from './types.js';

const maxBodyBytes = 20 * 1024 * 1024;

/** What the handler needs from the server that owns it. */
export interface HandlerContext {
  rules: readonly CompiledRule[];
  models: readonly string[];
  retryAfterSeconds: number;
  pickFault: FaultPicker;
  pickLatency: (header?: string | string[]) => number;
  /** Seeded draw in [0, 1) for rules with `sometimes` replies. */
  drawReply: () => number;
  /** Records the request and returns its record (with its arrival number). */
  record(req: IncomingMessage): RecordedRequest;
  /** Counts the final status of a request. */
  finish(rec: RecordedRequest, status: number): void;
  /** Runs `fn` after `ms`, cancelled when the server closes. */
  later(ms: number, fn: () => void): void;
  /** Batch jobs and files (OpenAI Batch, Anthropic Message Batches). */
  batches: FakeBatchStore;
}

/** Handles one HTTP request. */
export function handleRequest(ctx: HandlerContext, req: IncomingMessage, res: ServerResponse): void {
  const rec = ctx.record(req);
  const anthropicClient = req.headers['anthropic-version'] !== undefined;
  const api: FakeApi | undefined = req.method === 'POST' ? apiPaths[rec.path] : undefined;
  if (api !== undefined) rec.api = api;

  if (req.method === 'GET' && rec.path === '/v1/models') {
    sendJson(ctx, rec, res, 200, renderModelList(ctx.models, anthropicClient, 1700000000));
    return;
  }
  if (req.method === 'POST' && rec.path === '/v1/embeddings') {
    readBody(req, (text) => answerEmbeddings(ctx, rec, res, text));
    return;
  }
  if (api === undefined && handleBatchRoute(batchDeps(ctx), rec, req, res)) return;
  if (api === undefined) {
    req.resume();
    const flavor: ErrorFlavor = anthropicClient || rec.path.includes('messages') ? 'anthropic' : 'openai';
    sendJson(ctx, rec, res, 404, errorBody(flavor, 404, `Unknown request URL: ${req.method} ${rec.path}`));
    return;
  }

  // A client that aborts mid-body emits 'error' on the request; readBody listens so it cannot crash the server.
  readBody(req, (text) => {
    if (text === undefined) {
      sendJson(ctx, rec, res, 413, errorBody(flavorOf(api), 413, `request body over ${maxBodyBytes} bytes`));
      return;
    }
    answer(ctx, rec, req, res, api, text);
  });
}

function answer(
  ctx: HandlerContext,
  rec: RecordedRequest,
  req: IncomingMessage,
  res: ServerResponse,
  api: FakeApi,
  text: string,
): void {
  const flavor = flavorOf(api);
  let body: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    body = parsed as Record<string, unknown>;
  } catch {
    sendJson(ctx, rec, res, 400, errorBody(flavor, 400, 'request body is not a JSON object'));
    return;
  }
  rec.body = body;
  const norm = normalizeRequest(api, body);
  rec.model = norm.model;
  rec.stream = norm.stream;
  if (norm.model === '') {
    sendJson(ctx, rec, res, 400, errorBody(flavor, 400, 'missing required parameter: model'));
    return;
  }
  // Always draw, even when the header overrides, so a header does not shift the seeded sequence.
  const drawn = ctx.pickFault();
  const fault = parseFaultHeader(req.headers['x-fake-fault']) ?? drawn;
  if (fault !== undefined) rec.fault = fault;
  const delay = ctx.pickLatency(req.headers['x-fake-latency-ms']);

  const respond = (): void => {
    if (res.destroyed) return;
    if (fault !== undefined) {
      sendFault(ctx, rec, req, res, api, fault, norm.stream);
      return;
    }
    const plan = planReply(ctx.rules, norm, ctx.drawReply);
    const ids = { seq: rec.seq, created: Math.floor(rec.receivedAt / 1000) };
    if (norm.stream) {
      send(ctx, rec, res, 200, renderers[api].stream(plan, norm, ids), 'text/event-stream');
    } else {
      sendJson(ctx, rec, res, 200, renderers[api].json(plan, norm, ids));
    }
  };
  if (delay > 0) ctx.later(delay, respond);
  else respond();
}

function sendFault(
  ctx: HandlerContext,
  rec: RecordedRequest,
  req: IncomingMessage,
  res: ServerResponse,
  api: FakeApi,
  fault: FaultKind,
  stream: boolean,
): void {
  const flavor = flavorOf(api);
  switch (fault) {
    case '429':
      res.setHeader('retry-after', String(ctx.retryAfterSeconds));
      sendJson(ctx, rec, res, 429, errorBody(flavor, 429, 'Rate limit reached (injected by the fake provider)'));
      return;
    case '500':
    case '503': {
      const status = Number(fault);
      sendJson(ctx, rec, res, status, errorBody(flavor, status, `Injected ${fault} from the fake provider`));
      return;
    }
    case 'reset':
      ctx.finish(rec, 0);
      req.socket.destroy();
      return;
    case 'hang':
      // Never answer; the socket is destroyed when the client aborts or the server closes.
      ctx.finish(rec, 0);
      return;
    case 'malformed':
      send(ctx, rec, res, 200, malformedBody(api, stream), stream ? 'text/event-stream' : 'application/json');
      return;
    case 'stall':
      // Headers and a first piece of the body go out, the rest never does: a client whose
      // timer stops at the headers waits forever. The socket closes with the server.
      ctx.finish(rec, 200);
      res.writeHead(200, { 'content-type': stream ? 'text/event-stream' : 'application/json', 'x-request-id': `req_fake_${rec.seq}` });
      res.write(stream ? `data: {"id": "fake-stall-${rec.seq}"}\n\n` : `{"id": "fake-stall-${rec.seq}", "choices": [`);
      return;
  }
}

function batchDeps(ctx: HandlerContext): BatchRouteDeps {
  return {
    store: ctx.batches,
    readBody,
    sendJson: (rec, res, status, body) => sendJson(ctx, rec, res, status, body),
    send: (rec, res, status, body, contentType) => send(ctx, rec, res, status, body, contentType),
  };
}

function ignore(): void {}

/** Reads a request body; over the size limit `onBody` gets undefined. */
function readBody(req: IncomingMessage, onBody: (text: string | undefined) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('error', ignore);
  req.on('data', (c: Buffer) => {
    size += c.length;
    if (size <= maxBodyBytes) chunks.push(c);
  });
  req.on('end', () => onBody(size > maxBodyBytes ? undefined : Buffer.concat(chunks).toString('utf8')));
}

function answerEmbeddings(ctx: HandlerContext, rec: RecordedRequest, res: ServerResponse, text: string | undefined): void {
  if (text === undefined) {
    sendJson(ctx, rec, res, 413, errorBody('openai', 413, `request body over ${maxBodyBytes} bytes`));
    return;
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    sendJson(ctx, rec, res, 400, errorBody('openai', 400, 'request body is not a JSON object'));
    return;
  }
  const fields = body as Record<string, unknown>;
  rec.body = fields;
  const out = renderEmbeddings(fields);
  if (out.ok) sendJson(ctx, rec, res, 200, out.body);
  else sendJson(ctx, rec, res, 400, errorBody('openai', 400, out.message));
}

function sendJson(ctx: HandlerContext, rec: RecordedRequest, res: ServerResponse, status: number, body: unknown): void {
  send(ctx, rec, res, status, JSON.stringify(body), 'application/json');
}

function send(
  ctx: HandlerContext,
  rec: RecordedRequest,
  res: ServerResponse,
  status: number,
  body: string,
  contentType: string,
): void {
  ctx.finish(rec, status);
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    'x-request-id': `req_fake_${rec.seq}`,
    'request-id': `req_fake_${rec.seq}`,
  });
  res.end(body);
}
