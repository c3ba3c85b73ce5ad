/**
 * Writes a synthetic OTLP/JSON file of about `bytes` bytes, shaped like the Collector file
 * exporter's output: one ExportTraceServiceRequest per line, spans of many traces per line, and
 * each trace split over 2–3 lines (children are exported before their root). Each trace is a
 * support bot turn: `invoke_agent` root, a `retrieval` span with documents, and a `chat` span
 * with `gen_ai.input.messages` / `gen_ai.output.messages` JSON. One trace in `flagEvery` carries
 * a `gen_ai.evaluation.result` span event with score 0 (negative user feedback).
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

const GROUP = 16;
const T0_MS = Date.parse('2026-11-20T08:00:00Z');
const WORDS = 'refund order parcel damaged kettle delivery voucher invoice warranty return label courier address payment card charge account policy article support agent'.split(' ');

const str = (key, value) => ({ key, value: { stringValue: value } });
const int = (key, value) => ({ key, value: { intValue: String(value) } });
const dbl = (key, value) => ({ key, value: { doubleValue: value } });
const nanos = (ms) => `${BigInt(Math.round(ms * 1000)) * 1000n}`;
const hex = (n, width) => n.toString(16).padStart(width, '0').slice(-width);

/** Deterministic filler text of about `len` characters for trace `t`. */
function text(t, salt, len) {
  let out = '';
  for (let k = 0; out.length < len; k++) out += `${WORDS[(t * 31 + salt * 7 + k * 13) % WORDS.length]} `;
  return out.slice(0, len);
}

/** The three spans of trace number `t`: [retrieval, chat, root]. */
function traceSpans(t, flagEvery) {
  const traceId = hex(0x5eed0000n + BigInt(t), 8) + hex(BigInt(t) * 0x9e3779b97f4a7c15n, 24);
  const rootId = hex(BigInt(t) * 3n + 1n, 16);
  const start = T0_MS + t * 250;
  const question = `Hi, my order #${100000 + (t % 900000)} arrived with ${text(t, 1, 40)}. Can I get a refund?`;
  const docs = [0, 1, 2].map((k) => ({ id: `kb-${(t * 7 + k) % 500}`, score: 0.9 - k * 0.15, content: text(t, k + 2, 320) }));
  const base = { traceId, parentSpanId: rootId, flags: 257, status: { code: 1 }, events: [], links: [], droppedAttributesCount: 0, droppedEventsCount: 0, droppedLinksCount: 0 };
  const retrieval = {
    ...base, spanId: hex(BigInt(t) * 3n + 2n, 16), name: 'retrieval support-kb', kind: 1,
    startTimeUnixNano: nanos(start + 2), endTimeUnixNano: nanos(start + 40),
    attributes: [str('gen_ai.operation.name', 'retrieval'), str('gen_ai.data_source.id', 'support-kb'), str('gen_ai.retrieval.query.text', question), int('gen_ai.request.top_k', 3), str('gen_ai.retrieval.documents', JSON.stringify(docs))],
  };
  const system = `You are the support assistant of an online shop. Answer politely using only these articles.\n${docs.map((d) => `[${d.id}] ${d.content}`).join('\n')}`;
  const input = [{ role: 'system', parts: [{ type: 'text', content: system }] }, { role: 'user', parts: [{ type: 'text', content: question }] }];
  const answer = `I'm sorry to hear that. ${text(t, 9, 220)}`;
  const output = [{ role: 'assistant', finish_reason: 'stop', parts: [{ type: 'text', content: answer }] }];
  const chat = {
    ...base, spanId: hex(BigInt(t) * 3n + 3n, 16), name: 'chat gpt-4o-mini', kind: 3,
    startTimeUnixNano: nanos(start + 41), endTimeUnixNano: nanos(start + 900 + (t % 400)),
    attributes: [
      str('gen_ai.operation.name', 'chat'), str('gen_ai.provider.name', 'openai'), str('gen_ai.request.model', 'gpt-4o-mini'), dbl('gen_ai.request.temperature', 0.2),
      int('gen_ai.request.max_tokens', 400), str('gen_ai.input.messages', JSON.stringify(input)), str('gen_ai.output.messages', JSON.stringify(output)),
      str('gen_ai.response.model', 'gpt-4o-mini-2024-07-18'), str('gen_ai.response.id', `chatcmpl-${t}`), int('gen_ai.usage.input_tokens', 420 + (t % 90)), int('gen_ai.usage.output_tokens', 60 + (t % 40)),
    ],
  };
  if (t % flagEvery === flagEvery - 1) {
    chat.events = [{
      timeUnixNano: nanos(start + 5000), name: 'gen_ai.evaluation.result', droppedAttributesCount: 0,
      attributes: [str('gen_ai.evaluation.name', 'user_feedback'), dbl('gen_ai.evaluation.score.value', 0), str('gen_ai.evaluation.score.label', 'thumbs_down'), str('gen_ai.evaluation.explanation', 'Wrong refund period')],
    }];
  }
  const root = {
    ...base, spanId: rootId, parentSpanId: undefined, name: 'invoke_agent support-bot', kind: 2,
    startTimeUnixNano: nanos(start), endTimeUnixNano: nanos(start + 950 + (t % 400)),
    attributes: [str('gen_ai.operation.name', 'invoke_agent'), str('gen_ai.agent.name', 'support-bot'), str('user.id', `u-${t % 5000}`), str('session.id', `s-${t % 20000}`), str('input.value', question), str('output.value', answer)],
  };
  return [retrieval, chat, root];
}

function requestLine(spans) {
  return `${JSON.stringify({
    resourceSpans: [{
      resource: { attributes: [str('service.name', 'support-bot'), str('deployment.environment', 'production')], droppedAttributesCount: 0 },
      scopeSpans: [{ scope: { name: 'bench-instrumentation', version: '1.0.0' }, spans }],
    }],
  })}\n`;
}

/**
 * Writes about `bytes` bytes to `file`; resolves `{ bytes, traces, flagged, lines }`.
 * `flagEvery` (default 1000): one trace in that many carries negative feedback.
 */
export async function writeOtlpFile(file, bytes, { flagEvery = 1000 } = {}) {
  const out = createWriteStream(file);
  let written = 0;
  let traces = 0;
  let lines = 0;
  while (written < bytes) {
    const group = [];
    for (let g = 0; g < GROUP; g++) group.push(traceSpans(traces + g, flagEvery));
    traces += GROUP;
    // Even traces end up on lines 1–2, odd ones on lines 1–3: children first, roots last.
    const l1 = group.flatMap(([r, c], g) => (g % 2 === 0 ? [r, c] : [r]));
    const l2 = group.flatMap(([, c, root], g) => (g % 2 === 0 ? [root] : [c]));
    const l3 = group.filter((_, g) => g % 2 === 1).map(([, , root]) => root);
    for (const spans of [l1, l2, l3]) {
      const line = requestLine(spans);
      written += Buffer.byteLength(line);
      lines++;
      if (!out.write(line)) await once(out, 'drain');
    }
  }
  out.end();
  await once(out, 'finish');
  return { bytes: written, traces, flagged: Math.floor(traces / flagEvery), lines };
}
