/**
 * Application-defined keys for steps the semantic conventions do not cover (prompt rendering and
 * output parsing). Keys read, all optional:
 *  - prompt: `app.prompt.template`, `app.prompt.variables` (JSON object), `app.prompt.version`,
 *    `app.prompt.id` (or `app.prompt.name`), `app.prompt.rendered` (messages JSON);
 *  - parse:  `app.parser.*` or `app.parse.*` with `input`, `output`, `fallback` (bool) and
 *    `error` (message);
 *  - fallback: a span whose name starts with `parse` (any case) and that has an attribute named
 *    `fallback` or ending in `.fallback` is a parse step; its input/output come from the
 *    generic keys other conventions use (`input.value`, `traceloop.entity.input`,
 *    `langfuse.observation.input` and their output twins);
 *  - any other way an application records a parser falling back (a `parse_fallback` flag in
 *    the output JSON, `parse.ok=false` / `parse.error`, a `parse_fallback` event, a Langfuse
 *    WARNING "JSON parse failed, fallback used"): see parse-signals.ts;
 *  - prompt templates named elsewhere (Traceloop `traceloop.prompt.*` and task spans, Langfuse
 *    prompt link and metadata, decorator inputs): see prompt-template.ts.
 */
import type { Attributes, Json, RawSpan } from '../model.js';
import { bool, compact, hasPrefix, isObject, json, str } from './attrs.js';
import { toMessages } from './messages.js';
import { parseSignals } from './parse-signals.js';
import { promptTemplateView } from './prompt-template.js';
import { defineConvention, type StepPatch } from './types.js';

const PARSE_PREFIXES = ['app.parser.', 'app.parse.'] as const;

function fallbackKey(attrs: Attributes): string | undefined {
  return Object.keys(attrs).find((k) => k === 'fallback' || k.endsWith('.fallback'));
}

function genericIO(attrs: Attributes, which: 'input' | 'output'): Json | undefined {
  return (
    json(attrs, `${which}.value`) ?? json(attrs, `traceloop.entity.${which}`) ?? json(attrs, `langfuse.observation.${which}`)
  );
}

function parseView(span: RawSpan): StepPatch | undefined {
  const a = span.attributes;
  const prefix = PARSE_PREFIXES.find((p) => hasPrefix(a, p));
  const fbKey = fallbackKey(a);
  const signals = parseSignals(span);
  if (prefix === undefined && !(fbKey !== undefined && /^parse/i.test(span.name)) && !signals.isParse) return undefined;
  const pick = (field: string): Json | undefined => (prefix === undefined ? undefined : json(a, `${prefix}${field}`));
  const errorMessage = (prefix === undefined ? undefined : str(a, `${prefix}error`)) ?? signals.error;
  return compact({
    type: 'parse' as const,
    input: pick('input') ?? genericIO(a, 'input'),
    output: pick('output') ?? genericIO(a, 'output'),
    fallback: (prefix === undefined ? undefined : bool(a, `${prefix}fallback`)) ?? (fbKey ? bool(a, fbKey) : undefined) ?? signals.fallback ?? false,
    error: errorMessage === undefined ? undefined : { message: errorMessage },
  });
}

function promptView(span: RawSpan): StepPatch | undefined {
  const a = span.attributes;
  if (!hasPrefix(a, 'app.prompt.')) return undefined;
  const variables = json(a, 'app.prompt.variables');
  const rendered = toMessages(json(a, 'app.prompt.rendered'), 'user');
  return compact({
    type: 'prompt' as const,
    templateId: str(a, 'app.prompt.id') ?? str(a, 'app.prompt.name'),
    version: str(a, 'app.prompt.version'),
    template: str(a, 'app.prompt.template'),
    variables: isObject(variables) ? variables : undefined,
    rendered: rendered.length > 0 ? rendered : undefined,
  });
}

/** The application-keys convention (prompt and parse steps). */
export const appConvention = defineConvention({
  id: 'app',
  detect: (span) =>
    hasPrefix(span.attributes, 'app.prompt.') ||
    PARSE_PREFIXES.some((p) => hasPrefix(span.attributes, p)) ||
    (/^parse/i.test(span.name) && fallbackKey(span.attributes) !== undefined) ||
    parseSignals(span).isParse ||
    promptTemplateView(span) !== undefined,
  view: (span) => parseView(span) ?? promptView(span) ?? promptTemplateView(span),
});
