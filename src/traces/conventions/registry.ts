/**
 * The ordered registry of conventions and the merge of their contributions into one step.
 *
 * Every convention that detects a span contributes a patch. The step type is the first type
 * other than `chain` and `prompt` in registry order (a generic grouping says less than a specific
 * one, so a Traceloop `task` or Langfuse `span` never hides an LLM call or a parse step, and
 * messages an app span carries never hide its parse step); then `prompt`; `chain` only when
 * nothing more specific was said. Patches of the chosen type are merged with `mergeMissing`
 * (merge.ts): the first non-empty value in registry order wins, structural objects (`params`,
 * `usage`, `prompt`) merge key by key, recorded values are never mixed. A `prompt`
 * patch on an LLM span folds into `LlmStep.prompt`. Finish reasons end in the provider's words
 * (finish-reasons.ts), because only the merged step knows the provider.
 */
import type { LlmStep, RawSpan, Step, StepType } from '../model.js';
import { anthropicConvention } from './anthropic.js';
import { appConvention } from './app.js';
import { providerFinishReason } from './finish-reasons.js';
import { providerApiOf } from './provider-api.js';
import { genAiConvention } from './gen-ai.js';
import { langfuseConvention } from './langfuse.js';
import { openinferenceConvention } from './openinference.js';
import { openllmetryConvention } from './openllmetry.js';
import { mergeMissing, type Loose } from './merge.js';
import { spanError } from './span-error.js';
import { vercelAiConvention } from './vercel-ai.js';
import type { Convention, StepPatch } from './types.js';

/** All conventions, in precedence order (earlier wins a conflicting field). */
export const conventions = {
  // Before gen_ai: its spans also carry `gen_ai.system` = `openai.chat` (see vercel-ai.ts).
  vercel_ai: vercelAiConvention,
  gen_ai: genAiConvention,
  openinference: openinferenceConvention,
  openllmetry: openllmetryConvention,
  anthropic: anthropicConvention,
  langfuse: langfuseConvention,
  app: appConvention,
} as const satisfies Record<string, Convention>;

/** Id of a registered convention. */
export type ConventionId = keyof typeof conventions;

/** Registry order; object key order is insertion order for string keys. */
export const conventionOrder = Object.keys(conventions) as ConventionId[];

/** What the conventions make of one span. */
export interface SpanView {
  step?: Step;
  /** Ids of the conventions whose patches went into `step`. */
  conventions: string[];
}

function chooseType(patches: StepPatch[]): StepType | undefined {
  // A prompt view is often a guess from messages an app span carries (gen-ai.ts): a parse, tool
  // or retrieval view of the same span says more.
  return (
    patches.find((p) => p.type !== 'chain' && p.type !== 'prompt')?.type ??
    patches.find((p) => p.type === 'prompt')?.type ??
    patches[0]?.type
  );
}

/** Fills the fields a step type requires, so a partial view is still a valid `Step`. */
function complete(type: StepType, fields: Loose, span: RawSpan): Step {
  switch (type) {
    case 'llm': {
      const s = { params: {}, input: [], output: [], ...fields, type } as LlmStep;
      if (s.input.length === 0 && s.output.length === 0) s.contentMissing = true;
      const { provider, api } = providerApiOf(span, s);
      if (provider !== undefined) s.provider = provider;
      if (api !== undefined) s.api = api;
      const finishReason = providerFinishReason(s.provider, s.finishReason);
      if (finishReason !== undefined) s.finishReason = finishReason;
      return s;
    }
    case 'retrieval':
      return { documents: [], ...fields, type } as Step;
    case 'tool':
      return { name: span.name, ...fields, type } as Step;
    case 'parse':
      return { fallback: false, ...fields, type } as Step;
    default:
      return { ...fields, type } as Step;
  }
}

/** Applies every registered convention to `span` and merges what they say (see module doc). */
export function viewSpan(span: RawSpan): SpanView {
  const contributions: Array<{ id: ConventionId; patch: StepPatch }> = [];
  for (const id of conventionOrder) {
    const c: Convention = conventions[id];
    if (!c.detect(span)) continue;
    const patch = c.view(span);
    if (patch !== undefined) contributions.push({ id, patch });
  }
  const type = chooseType(contributions.map((c) => c.patch));
  if (type === undefined) return { conventions: [] };
  let fields: Loose = {};
  const used: string[] = [];
  for (const { id, patch } of contributions) {
    const { type: patchType, ...rest } = patch;
    if (patchType === type) {
      fields = mergeMissing(fields, rest);
    } else if (type === 'llm' && patchType === 'prompt') {
      // Rendered messages are the LLM step's own input; only the template link is kept.
      const { rendered: _rendered, tools: _tools, answer: _answer, ...link } = rest as Loose;
      fields = mergeMissing(fields, { prompt: link });
    } else {
      continue;
    }
    if (!used.includes(id)) used.push(id);
  }
  const step = complete(type, fields, span);
  const error = spanError(span);
  if (error !== undefined && step.type !== 'prompt' && step.error === undefined) step.error = error;
  return { step, conventions: used };
}
