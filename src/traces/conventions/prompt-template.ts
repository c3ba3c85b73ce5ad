/**
 * Prompt templates outside the `app.prompt.*` keys: where instrumentations and applications put
 * the template id, version and variables of a prompt-rendering step.
 *  - Traceloop prompt registry keys on any span: `traceloop.prompt.{key,version,version_name,
 *    template}`, `traceloop.prompt.template_variables` (JSON, or one key per variable);
 *  - Langfuse: `langfuse.observation.prompt.name/version` on a non-generation observation, and
 *    template fields in the observation metadata (`langfuse.observation.metadata[.<k>]`);
 *  - decorator spans (Traceloop tasks `traceloop.entity.input/output`, OpenInference chains
 *    `input.value`/`output.value`/`metadata`): template fields in the input kwargs/args, the
 *    output or the metadata.
 * Template fields, in any of snake_case or camelCase, top level or under `prompt`/`template`:
 * id (`template_id`, `template_name`, `template_key`, `prompt_id`, `prompt_name`, `prompt_key`),
 * `version` (also `template_version`, `prompt_version`), text (`template`, `prompt_template`; a
 * short value without spaces or placeholders is taken as the id),
 * variables (`variables`, `template_variables`, `prompt_variables`, `vars`). A record is a template
 * only when it names an id or a template text, except on a span named like a prompt-rendering
 * step (`render_prompt`, `build-prompt`), whose input is then taken as the variables.
 */
import type { Attributes, Json, RawSpan } from '../model.js';
import { compact, isObject, json, parseLenient, str, withPrefix } from './attrs.js';
import { toMessages } from './messages.js';
import type { StepPatchOf } from './types.js';

type Obj = { [key: string]: Json };

/** What a record says about its prompt template. */
export interface TemplateLink {
  templateId?: string;
  version?: string;
  template?: string;
  variables?: Obj;
}

const ID_KEYS = ['template_id', 'template_name', 'template_key', 'prompt_id', 'prompt_name', 'prompt_key'];
const VERSION_KEYS = ['template_version', 'prompt_version', 'version'];
const TEXT_KEYS = ['prompt_template', 'template_text', 'template'];
const VARIABLE_KEYS = ['template_variables', 'prompt_variables', 'variables', 'vars'];

/** `templateId` → `template_id`: one spelling to look keys up by. */
function snake(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

function pick(o: Obj, keys: string[], accept: (v: Json) => boolean): Json | undefined {
  const byKey = new Map(Object.entries(o).map(([k, v]) => [snake(k), v]));
  for (const k of keys) {
    const v = byKey.get(k);
    if (v !== undefined && accept(v)) return v;
  }
  return undefined;
}

const isText = (v: Json): boolean => typeof v === 'string' && v.trim() !== '';
const isVersion = (v: Json): boolean => isText(v) || typeof v === 'number';

/** The template link of one record (top level, else under `prompt` / `template`), or undefined. */
export function templateFrom(value: Json | undefined): TemplateLink | undefined {
  const o = isObject(value) ? value : undefined;
  if (o === undefined) return undefined;
  // `prompt_template: "refund-answer"` names a template; text with spaces or placeholders is one.
  const rawText = pick(o, TEXT_KEYS, isText) as string | undefined;
  const nameLike = rawText !== undefined && rawText.length <= 80 && !/[\s{]/.test(rawText);
  const id = pick(o, ID_KEYS, isText) ?? (nameLike ? rawText : undefined);
  const text = nameLike ? undefined : rawText;
  if (id === undefined && text === undefined) {
    for (const nestedKey of ['prompt', 'template']) {
      const nested = o[nestedKey];
      if (!isObject(nested)) continue;
      const inner = templateFrom({ ...nested, ...(typeof nested['name'] === 'string' ? { template_name: nested['name'] } : {}), ...(typeof nested['id'] === 'string' ? { template_id: nested['id'] } : {}) });
      if (inner !== undefined) return inner;
    }
    return undefined;
  }
  const version = pick(o, VERSION_KEYS, isVersion);
  const variables = parseLenient(pick(o, VARIABLE_KEYS, (v) => isObject(parseLenient(v) ?? null)) ?? null);
  return compact({
    templateId: id as string | undefined,
    version: version === undefined ? undefined : String(version),
    template: text as string | undefined,
    variables: isObject(variables) ? variables : undefined,
  });
}

/** Traceloop prompt-registry keys on the span. */
function traceloopPrompt(a: Attributes): TemplateLink | undefined {
  const key = str(a, 'traceloop.prompt.key');
  const template = str(a, 'traceloop.prompt.template');
  if (key === undefined && template === undefined) return undefined;
  const whole = json(a, 'traceloop.prompt.template_variables');
  const flat = withPrefix(a, 'traceloop.prompt.template_variables.');
  const variables: Obj = { ...(isObject(whole) ? whole : {}), ...flat };
  return compact({
    templateId: key,
    version: str(a, 'traceloop.prompt.version') ?? str(a, 'traceloop.prompt.version_name'),
    template,
    variables: Object.keys(variables).length > 0 ? variables : undefined,
  });
}

/** Langfuse observation prompt link and metadata. */
function langfusePrompt(a: Attributes): TemplateLink | undefined {
  const name = str(a, 'langfuse.observation.prompt.name');
  const whole = json(a, 'langfuse.observation.metadata');
  const meta: Obj = { ...(isObject(whole) ? whole : {}) };
  for (const [k, v] of Object.entries(withPrefix(a, 'langfuse.observation.metadata.'))) meta[k] = parseLenient(v) ?? null;
  const fromMeta = templateFrom(meta);
  if (name === undefined) return fromMeta;
  return { ...fromMeta, templateId: name, ...(str(a, 'langfuse.observation.prompt.version') !== undefined ? { version: str(a, 'langfuse.observation.prompt.version') } : {}) };
}

/** Decorator span input (kwargs, first object arg), output, or OpenInference metadata. */
function decoratorPrompt(a: Attributes): TemplateLink | undefined {
  const input = json(a, 'traceloop.entity.input') ?? json(a, 'input.value') ?? json(a, 'langfuse.observation.input');
  const candidates: Array<Json | undefined> = [json(a, 'metadata')];
  if (isObject(input)) {
    candidates.push(input['kwargs'], ...(Array.isArray(input['args']) ? input['args'] : []), input);
  }
  candidates.push(json(a, 'traceloop.entity.output') ?? json(a, 'output.value') ?? json(a, 'langfuse.observation.output'));
  for (const c of candidates) {
    const link = templateFrom(c);
    if (link !== undefined) return link;
  }
  return undefined;
}

const PROMPT_NAME = /(?:^|[^a-z])(?:render(?:ed)?[_ .-]?)?(?:prompt|template)(?:[^a-z]|$)|^(?:render|build|format)[_ .-]?(?:prompt|template|messages)/i;

/**
 * A span named like a prompt-rendering step (`render_prompt.task`, `build-prompt`) whose input is
 * the variables: `{args: ["refund-answer", {question…}]}`, kwargs, or a Langfuse/OpenInference
 * input object. A short string argument is taken as the template id.
 */
function namedPrompt(span: RawSpan): TemplateLink | undefined {
  if (!PROMPT_NAME.test(span.name)) return undefined;
  const a = span.attributes;
  const input = json(a, 'traceloop.entity.input') ?? json(a, 'input.value') ?? json(a, 'langfuse.observation.input');
  if (!isObject(input)) return undefined;
  const args = Array.isArray(input['args']) ? input['args'] : [];
  const kwargs = isObject(input['kwargs']) ? input['kwargs'] : undefined;
  const variables = (kwargs !== undefined && Object.keys(kwargs).length > 0 ? kwargs : undefined) ?? args.find(isObject) ?? ('args' in input ? undefined : input);
  if (variables === undefined || !isObject(variables)) return undefined;
  const id = args.find((x): x is string => typeof x === 'string' && x.length <= 80 && !/\s/.test(x));
  return compact({ templateId: id, variables });
}

/** The prompt step a span's template keys describe, or undefined. Rendered messages come from the output. */
export function promptTemplateView(span: RawSpan): StepPatchOf<'prompt'> | undefined {
  const a = span.attributes;
  // A root's input and metadata describe the whole request, not a rendering step.
  const isRoot = span.parentSpanId === undefined || span.parentSpanId === '';
  const link = traceloopPrompt(a) ?? (isRoot ? undefined : (langfusePrompt(a) ?? decoratorPrompt(a) ?? namedPrompt(span)));
  if (link === undefined) return undefined;
  const output = json(a, 'traceloop.entity.output') ?? json(a, 'output.value') ?? json(a, 'langfuse.observation.output');
  const messagesOut = isObject(output) && Array.isArray(output['messages']) ? output['messages'] : output;
  const rendered = typeof messagesOut === 'string' || Array.isArray(messagesOut) ? toMessages(messagesOut, 'user') : [];
  return compact({ type: 'prompt' as const, ...link, rendered: rendered.length > 0 ? rendered : undefined });
}
