/**
 * First-request latency: how long after its spawn a process sends its first model request
 * (Node start-up, module loading, config and dataset reading, everything before the first call).
 *
 * A tiny OpenAI-compatible listener in the bench process itself notes the arrival time of every
 * request on the parent's clock and answers each after `latencyMs` with a fixed chat completion
 * (it mentions a refund, so the suite's `contains: refund` evaluator passes). The measured child
 * is pointed at it instead of the fake provider; its wall time is not used.
 */
import { createServer } from 'node:http';

const REPLY = 'I am sorry to hear that. You can request a refund; it is issued within 5-7 business days.';

/** Starts the listener on 127.0.0.1; resolves `{ baseUrl, firstAt(), reset(), close() }`. */
export function startProbe(latencyMs = 50) {
  let first;
  const server = createServer((req, res) => {
    first ??= performance.now();
    req.resume();
    req.on('end', () => {
      setTimeout(() => {
        const body = JSON.stringify({
          id: 'chatcmpl-probe', object: 'chat.completion', created: Math.floor(Date.now() / 1000), model: 'gpt-4o-mini',
          choices: [{ index: 0, message: { role: 'assistant', content: REPLY }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 10, completion_tokens: 20, total_tokens: 30 },
        });
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
        res.end(body);
      }, latencyMs);
    });
  });
  server.keepAliveTimeout = 5000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({
        baseUrl: `http://127.0.0.1:${port}/v1`,
        /** `performance.now()` of the first request since the last reset, or undefined. */
        firstAt: () => first,
        reset: () => {
          first = undefined;
        },
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}
