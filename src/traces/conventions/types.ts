/**
 * The contract every attribute convention implements. A convention recognises a span
 * (`detect`) and contributes what it knows about the span's step (`view`); the registry
 * merges contributions from all conventions that recognised the span.
 */
import type { RawSpan, Step, StepType } from '../model.js';

/** Part of a step of type `K`: the type plus any of its fields. */
export type StepPatchOf<K extends StepType> = { type: K } & Partial<Omit<Extract<Step, { type: K }>, 'type'>>;

/** What one convention says about a span's step. */
export type StepPatch = { [K in StepType]: StepPatchOf<K> }[StepType];

/** One attribute convention (OTel GenAI, OpenLLMetry, OpenInference, Langfuse…). */
export interface Convention {
  /** Id listed in `Span.conventions` when this convention contributed. */
  readonly id: string;
  /** True when the span carries this convention's attributes, events or logs. */
  detect(span: RawSpan): boolean;
  /**
   * The step as this convention sees it, or undefined when the span carries this convention's
   * keys but no step (e.g. only trace-level association properties). Only called after `detect`.
   */
  view(span: RawSpan): StepPatch | undefined;
}

/** Type-checks a convention object literal (a `defineX` helper, per house style). */
export function defineConvention(c: Convention): Convention {
  return c;
}
