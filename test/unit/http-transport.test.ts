/**
 * The SDKs' transport (src/providers/http-transport.ts) against real local servers: what fetch
 * does, it does; what it hands to fetch, fetch gets.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { TLSSocket } from 'node:tls';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpTransport, transportFetch } from '../../src/providers/http-transport.js';
import { toProviderError } from '../../src/providers/provider-errors.js';
import { startFakeProvider } from '../../src/fake-provider/server.js';
import type { FakeProvider } from '../../src/fake-provider/types.js';

const run = promisify(execFile);

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;
let server: Server;
let base = '';
let connections = 0;
const routes = new Map<string, Handler>();

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('latin1');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      const handler = routes.get(req.url ?? '');
      if (handler) handler(req, res, body);
      else res.writeHead(404).end();
    });
  });
  server.on('connection', () => connections++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('transportFetch', () => {
  it('sends method, headers and body, and returns status, headers, body and url', async () => {
    routes.set('/echo?x=1', (req, res, body) => res.writeHead(201, { 'content-type': 'application/json', 'x-request-id': 'r1' }).end(JSON.stringify({ method: req.method, auth: req.headers.authorization, body })));
    const res = await transportFetch(`${base}/echo?x=1`, { method: 'post', headers: { Authorization: 'Bearer t' }, body: 'hé' });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-request-id')).toBe('r1');
    expect(res.url).toBe(`${base}/echo?x=1`);
    expect(await res.json()).toEqual({ method: 'POST', auth: 'Bearer t', body: Buffer.from('hé').toString('latin1') });
  });

  it('decodes gzip, deflate (wrapped or raw) and br bodies', async () => {
    const text = JSON.stringify({ ok: 'compressed'.repeat(50) });
    const encoded: Record<string, Buffer> = { gzip: zlib.gzipSync(text), deflate: zlib.deflateSync(text), br: zlib.brotliCompressSync(text) };
    for (const [enc, bytes] of Object.entries(encoded)) {
      routes.set(`/${enc}`, (req, res) => {
        expect(req.headers['accept-encoding']).toContain(enc);
        res.writeHead(200, { 'content-encoding': enc }).end(bytes);
      });
      expect(await (await transportFetch(`${base}/${enc}`)).text(), enc).toBe(text);
    }
    routes.set('/raw', (_req, res) => res.writeHead(200, { 'content-encoding': 'deflate' }).end(zlib.deflateRawSync(text)));
    expect(await (await transportFetch(`${base}/raw`)).text()).toBe(text);
  });

  it('keeps one connection alive across sequential calls', async () => {
    routes.set('/ka', (_req, res) => res.end('ok'));
    await (await transportFetch(`${base}/ka`)).text();
    const before = connections;
    for (let i = 0; i < 5; i++) expect(await (await transportFetch(`${base}/ka`)).text()).toBe('ok');
    expect(connections).toBe(before);
  });

  it('returns no body for 204', async () => {
    routes.set('/none', (_req, res) => res.writeHead(204).end());
    const res = await transportFetch(`${base}/none`, { method: 'DELETE' });
    expect(res.status).toBe(204);
    expect(res.body).toBeNull();
  });

  it('rejects with an AbortError when aborted before the headers and while the body is read', async () => {
    routes.set('/stall', () => {});
    const early = new AbortController();
    const pending = transportFetch(`${base}/stall`, { signal: early.signal });
    setTimeout(() => early.abort(), 50);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });

    routes.set('/half', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"partial":');
    });
    const late = new AbortController();
    const body = transportFetch(`${base}/half`, { signal: late.signal });
    setTimeout(() => late.abort(), 100);
    await expect(body).rejects.toMatchObject({ name: 'AbortError' });

    const before = new AbortController();
    before.abort();
    await expect(transportFetch(`${base}/ka`, { signal: before.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('reports a refused connection and a body cut short as retryable connection errors', async () => {
    const refused = await transportFetch('http://127.0.0.1:1/x').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TypeError);
    expect(toProviderError(refused, 'p').info).toMatchObject({ type: 'connection', retryable: true });

    routes.set('/cut', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"a":');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const cut = await transportFetch(`${base}/cut`).catch((e: unknown) => e);
    expect(cut).toBeInstanceOf(TypeError);
    expect(toProviderError(cut, 'p').info).toMatchObject({ type: 'connection', retryable: true });
  });

  it('streams server-sent events as they arrive', async () => {
    routes.set('/sse', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: one\n\n');
      setTimeout(() => res.end('data: two\n\n'), 50);
    });
    const res = await transportFetch(`${base}/sse`);
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(Buffer.from(first.value!).toString()).toBe('data: one\n\n');
    let rest = '';
    for (let r = await reader.read(); !r.done; r = await reader.read()) rest += Buffer.from(r.value).toString();
    expect(rest).toBe('data: two\n\n');
  });

  it('hands multipart bodies to the global fetch', async () => {
    routes.set('/upload', (req, res, body) => res.end(JSON.stringify({ type: req.headers['content-type'], hasFile: body.includes('file-content') })));
    const form = new FormData();
    form.append('file', new Blob(['file-content']), 'a.jsonl');
    const res = await transportFetch(`${base}/upload`, { method: 'POST', body: form });
    expect(await res.json()).toMatchObject({ type: expect.stringMatching(/^multipart\/form-data/), hasFile: true });
  });

  it('is what the SDKs get unless EVALS_HTTP_TRANSPORT=fetch', () => {
    expect(httpTransport()).toBe(transportFetch);
    process.env.EVALS_HTTP_TRANSPORT = 'fetch';
    try {
      expect(httpTransport()).toBeUndefined();
    } finally {
      delete process.env.EVALS_HTTP_TRANSPORT;
    }
  });
});

describe('the official SDK over the transport', () => {
  let fake: FakeProvider;
  beforeAll(async () => {
    fake = await startFakeProvider({ port: 0 });
  });
  afterAll(async () => fake.close());

  it('completes a chat call, and a streamed one, against the fake provider', async () => {
    const client = new OpenAI({ baseURL: `${fake.url}/v1`, apiKey: 'k', maxRetries: 0, fetch: transportFetch });
    const res = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    expect(typeof res.choices[0]?.message.content).toBe('string');
    const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text).toBe(res.choices[0]?.message.content);
  });
});

describe('https (node:https loaded on first use)', () => {
  const tls = (name: string): string => readFileSync(path.join(import.meta.dirname, '../fixtures/tls', name), 'utf8');
  let secure: HttpsServer;
  let url = '';
  beforeAll(async () => {
    secure = createHttpsServer({ key: tls('localhost-key.pem'), cert: tls('localhost-cert.pem') }, (req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const out = zlib.gzipSync(JSON.stringify({ got: body, tls: (req.socket as TLSSocket).encrypted === true }));
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' }).end(out);
      });
    });
    await new Promise<void>((r) => secure.listen(0, '127.0.0.1', r));
    url = `https://127.0.0.1:${(secure.address() as AddressInfo).port}/v1/echo`;
  });
  afterAll(async () => {
    secure.closeAllConnections();
    await new Promise((r) => secure.close(r));
  });

  it('refuses a certificate nobody vouches for, as fetch does', async () => {
    const err = await transportFetch(url, { method: 'POST', body: '{}' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TypeError);
    expect(((err as TypeError).cause as NodeJS.ErrnoException).code).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY/);
  });

  it('talks TLS and decodes a gzip body once the certificate is trusted (a fresh process, NODE_EXTRA_CA_CERTS)', async () => {
    const script = `import { transportFetch } from ${JSON.stringify(path.resolve(import.meta.dirname, '../../src/providers/http-transport.ts'))};
const before = process.moduleLoadList.some((m) => m === 'NativeModule https' || m === 'NativeModule zlib');
const r = await transportFetch(${JSON.stringify(url)}, { method: 'POST', body: 'ping', headers: { 'content-type': 'text/plain' } });
process.stdout.write(JSON.stringify({ before, status: r.status, body: await r.json() }));`;
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      env: { ...process.env, NODE_EXTRA_CA_CERTS: path.join(import.meta.dirname, '../fixtures/tls/localhost-cert.pem') },
    });
    expect(JSON.parse(stdout)).toEqual({ before: false, status: 200, body: { got: 'ping', tls: true } });
  });
});
