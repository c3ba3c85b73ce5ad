/**
 * `provider_error` and `tool_error`: which call failed. Explicit failures come from typed steps;
 * a model call the instrumentation never recorded is inferred only from strong evidence (see
 * `isProviderFailure`), because a wrong provider_error sends a reviewer to the wrong layer.
 */
import type { Diagnosis } from '../datasets/case.js';
import type { Span, Trace } from '../traces/model.js';
import { descendantsOf, describeError, errorSummary, finding, isErrored } from './diagnose-span.js';

/** Error types and messages that only a model provider (or its SDK) produces. */
const PROVIDER_ERROR_SIGNS: RegExp[] = [
  /\b(?:openai|anthropic|bedrock|vertexai|google\.genai|cohere|mistralai|groq)\b[.:]/i,
  /\b(?:RateLimitError|APIConnectionError|APITimeoutError|APIStatusError|InternalServerError|OverloadedError|ServiceUnavailableError)\b/,
  /\b(?:overloaded_error|rate_limit_error|rate_limit_exceeded|insufficient_quota|context_length_exceeded|model_not_found|invalid_request_error)\b/i,
  /\bmaximum context length\b/i,
];

/** Stack frames inside a model provider's SDK (JS and Python): the exception came from the client. */
const PROVIDER_SDK_FRAMES = /(?:node_modules[\\/](?:openai|@anthropic-ai[\\/]sdk|@google[\\/]genai|@mistralai|groq-sdk|cohere-ai)[\\/])|(?:site-packages[\\/](?:openai|anthropic|google[\\/]genai|mistralai|groq|cohere)[\\/])/;

/** An SDK API error message: HTTP status first, then the provider's text or JSON body. */
const SDK_STATUS_MESSAGE = /^(?:429|5\d\d) (?:\{|[A-Z][\w ]{2,})/;

/** Hosts of model APIs, seen in HTTP client spans when no GenAI instrumentation ran. */
const PROVIDER_HOSTS = /\b(?:api\.openai\.com|api\.anthropic\.com|openai\.azure\.com|bedrock-runtime\.[\w.-]+|generativelanguage\.googleapis\.com|aiplatform\.googleapis\.com|api\.mistral\.ai|api\.groq\.com|api\.cohere\.(?:ai|com))\b/i;

const LLM_OPERATIONS = new Set(['chat', 'text_completion', 'generate_content', 'completion']);

/** provider_error findings: failed llm steps, errored llm-looking spans, and missing failed calls. */
export function diagnoseProviderErrors(trace: Trace): Diagnosis[] {
  const out: Diagnosis[] = [];
  for (const span of trace.spans) {
    if (!isErrored(span)) continue;
    const step = span.step;
    if (step?.type === 'llm') {
      const who = [step.provider, step.model].filter((x) => x !== undefined).join(' ');
      out.push(finding(span, 'provider_error', `The model call${who ? ` to ${who}` : ''} failed (${describeError(span)}).`));
    } else if (step === undefined && looksLikeLlmSpan(span) && !insideLlmStep(trace, span)) {
      out.push(finding(span, 'provider_error', `The model call failed (${describeError(span)}); the span was not recognised as an llm step but carries GenAI or model-API host attributes.`));
    } else if ((step === undefined || step.type === 'chain') && isMissingFailedCall(trace, span)) {
      out.push(finding(span, 'provider_error', `The step failed with a model-provider error (${describeError(span)}) and no llm call was recorded beneath it, so the failing call itself is missing from the trace.`));
    }
  }
  return out;
}

/** tool_error findings: tool steps with an error or an error status. */
export function diagnoseToolErrors(trace: Trace): Diagnosis[] {
  const out: Diagnosis[] = [];
  for (const span of trace.spans) {
    if (!isErrored(span)) continue;
    const step = span.step;
    const isTool = step?.type === 'tool' || (step === undefined && span.attributes['gen_ai.operation.name'] === 'execute_tool');
    if (!isTool) continue;
    const name = step?.type === 'tool' ? step.name : String(span.attributes['gen_ai.tool.name'] ?? span.name);
    out.push(finding(span, 'tool_error', `The tool "${name}" failed (${describeError(span)}).`));
  }
  return out;
}

/** A span without a typed view that still is a model call: GenAI operation or a provider host. */
function looksLikeLlmSpan(span: Span): boolean {
  const op = span.attributes['gen_ai.operation.name'];
  if (typeof op === 'string' && LLM_OPERATIONS.has(op)) return true;
  if (typeof span.attributes['gen_ai.request.model'] === 'string') return true;
  const host = ['server.address', 'http.url', 'url.full', 'net.peer.name', 'http.host']
    .map((k) => span.attributes[k])
    .find((v) => typeof v === 'string');
  return typeof host === 'string' && PROVIDER_HOSTS.test(host);
}

/** True when an ancestor is an llm step: an HTTP span under a failed model call is the same failure. */
function insideLlmStep(trace: Trace, span: Span): boolean {
  const byId = new Map(trace.spans.map((s) => [s.spanId, s]));
  const seen = new Set<string>();
  let cur = span.parentSpanId === undefined ? undefined : byId.get(span.parentSpanId);
  while (cur !== undefined && !seen.has(cur.spanId)) {
    if (cur.step?.type === 'llm') return true;
    seen.add(cur.spanId);
    cur = cur.parentSpanId === undefined ? undefined : byId.get(cur.parentSpanId);
  }
  return false;
}

/**
 * The error started here (no errored span beneath) and its text is unmistakably a provider's
 * (SDK error class, provider module prefix, rate-limit or context-length code, or an SDK's
 * "<429|5xx> <body>" wording with no model call beneath): the SDK raised
 * inside this span but the failing model call was never exported. Calls beneath that succeeded
 * do not matter; a failed one beneath would have been the origin instead.
 */
function isMissingFailedCall(trace: Trace, span: Span): boolean {
  if (descendantsOf(trace, span.spanId).some(isErrored)) return false;
  const { type, message } = errorSummary(span);
  const text = [type, message].filter((x) => x !== undefined).join(' ');
  if (text !== '' && PROVIDER_ERROR_SIGNS.some((re) => re.test(text))) return true;
  // The OpenAI and Anthropic SDKs word every API error "<status> <body>"; a 429/5xx worded so in
  // a span with no model call beneath it is the call the instrumentation did not export.
  if (message !== undefined && SDK_STATUS_MESSAGE.test(message) && !descendantsOf(trace, span.spanId).some((s) => s.step?.type === 'llm')) return true;
  // Instrumentations that drop a failed call still record the exception on the caller's span;
  // a stack raised from inside a provider SDK names the layer even when the type is plain `Error`.
  return span.events.some((e) => e.name === 'exception' && typeof e.attributes['exception.stacktrace'] === 'string' && PROVIDER_SDK_FRAMES.test(e.attributes['exception.stacktrace']));
}
