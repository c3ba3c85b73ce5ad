/**
 * How applications record that their output parser gave up, in the shapes seen in real traces
 * (no semantic convention covers parsing):
 *  - a flag in the step's output JSON (`traceloop.entity.output`, `output.value`,
 *    `langfuse.observation.output`, a LangSmith run's outputs): `parse_fallback: true`,
 *    `parser_fallback`, `used_fallback`, `fallback_used`, or `fallback: true` on a parse-named span;
 *    on a root, workflow or agent span the flag describes the whole pipeline, so the span stays a
 *    chain (diagnosis still reads the flag there);
 *  - attributes `parse.ok` / `parser.ok` / `parse.success` = false, `parse.error` / `parser.error`;
 *  - a span event named `parse_fallback` (also `parse.fallback`, `parser_fallback`,
 *    `parse_error`, `parse_failed`);
 *  - a Langfuse `level` = WARNING (or ERROR) whose status message says parsing failed or a
 *    fallback was used ("JSON parse failed, fallback used").
 * Pure: a function of the span's name, attributes, events and status.
 */
import type { Json, RawSpan } from '../model.js';
import { bool, isObject, json, str } from './attrs.js';

/** What a span says about a parse step, when it says anything. */
export interface ParseSignals {
  /** True when the span is recognisably a parse step. */
  isParse: boolean;
  fallback?: boolean;
  error?: string;
}

/** Output keys that by themselves say "the parser fell back". */
const FALLBACK_KEYS = ['parse_fallback', 'parser_fallback', 'parseFallback', 'used_fallback', 'fallback_used', 'usedFallback', 'fallbackUsed'];
const EVENT_FALLBACK = /^(?:parse|parser|parsing)[._-]?fallback$|^fallback[._-]?(?:used|parse)$/i;
const EVENT_ERROR = /^(?:parse|parser|parsing)[._-]?(?:error|failed|failure)$/i;
const PARSE_NAME = /(?:^|[^a-z])pars(?:e|er|ing)(?:[^a-z]|$)|^pars(?:e|er|ing)|(?:^|[^a-z])(?:json|output|reply|response)[._ -]?pars/i;
const MESSAGE_PARSE = /\bpars(?:e|er|ing)\b|\bjson\b|\bschema\b|\bmalformed\b|\binvalid (?:json|format|output)\b/i;
const MESSAGE_FALLBACK = /\bfall(?:ing)?[\s-]?back\b|\bfallback\b|\bfell back\b|\bdefault (?:value|answer|reply) used\b|\bused (?:the )?default\b/i;

/** True when the span name reads like a parsing step (`parse_reply`, `output-parser`, `JSON parse`). */
export function looksLikeParseName(name: string): boolean {
  return PARSE_NAME.test(name);
}

/** A fallback flag in an output value: top level or one level down (`{result: {parse_fallback: true}}`). */
export function fallbackFlagIn(value: Json | undefined, parseNamed: boolean): boolean | undefined {
  const keys = parseNamed ? [...FALLBACK_KEYS, 'fallback'] : FALLBACK_KEYS;
  const look = (o: { [key: string]: Json }): boolean | undefined => {
    for (const k of keys) {
      const v = o[k];
      if (typeof v === 'boolean') return v;
      if (v === 'true' || v === 'false') return v === 'true';
    }
    return undefined;
  };
  if (!isObject(value)) return undefined;
  const top = look(value);
  if (top !== undefined) return top;
  for (const v of Object.values(value)) {
    if (isObject(v)) {
      const inner = look(v);
      if (inner !== undefined) return inner;
    }
  }
  return undefined;
}

/** Everything the span says about parsing (see the module doc). */
export function parseSignals(span: RawSpan): ParseSignals {
  const a = span.attributes;
  const named = looksLikeParseName(span.name);
  const output = json(a, 'traceloop.entity.output') ?? json(a, 'output.value') ?? json(a, 'langfuse.observation.output');
  // A root or workflow span returns the whole pipeline's result; a flag there is not its own step.
  const kind = str(a, 'traceloop.span.kind') ?? str(a, 'langfuse.observation.type');
  const ownStep = named || (span.parentSpanId !== undefined && span.parentSpanId !== '' && kind !== 'workflow' && kind !== 'agent');
  const flagged = ownStep ? fallbackFlagIn(output, named) : undefined;
  const ok = bool(a, 'parse.ok') ?? bool(a, 'parser.ok') ?? bool(a, 'parse.success') ?? bool(a, 'parser.success');
  const attrError = str(a, 'parse.error') ?? str(a, 'parser.error');
  const event = span.events.find((e) => EVENT_FALLBACK.test(e.name) || EVENT_ERROR.test(e.name));
  const eventFallback = event !== undefined && EVENT_FALLBACK.test(event.name);
  const eventError = event === undefined ? undefined : (str(event.attributes, 'error') ?? str(event.attributes, 'message') ?? str(event.attributes, 'reason') ?? str(event.attributes, 'exception.message'));
  const level = str(a, 'langfuse.observation.level')?.toUpperCase();
  const message = str(a, 'langfuse.observation.status_message') ?? span.status.message;
  const warned = (level === 'WARNING' || level === 'ERROR') && message !== undefined && MESSAGE_FALLBACK.test(message) && (MESSAGE_PARSE.test(message) || named);

  const isParse = flagged !== undefined || ok !== undefined || attrError !== undefined || event !== undefined || warned;
  if (!isParse) return { isParse: false };
  // A failed parse in a span that still ended well: the pipeline carried on with something else.
  const failedButContinued = (ok === false || (event !== undefined && !eventFallback)) && span.status.code !== 'error';
  const fallback = flagged === true || eventFallback || warned || failedButContinued;
  const error = attrError ?? eventError ?? (warned ? message : undefined);
  return { isParse, fallback, ...(error !== undefined ? { error } : {}) };
}
