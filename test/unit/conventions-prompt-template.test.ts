/**
 * Prompt templates recognised as the prompt step outside `app.prompt.*`: Traceloop task spans
 * and prompt-registry keys, Langfuse prompt links and metadata, decorator inputs.
 */
import { describe, expect, it } from 'vitest';
import { viewSpan } from '../../src/traces/conventions/registry.js';
import type { LlmStep, RawSpan } from '../../src/traces/model.js';

function span(over: Partial<RawSpan>): RawSpan {
  return {
    traceId: 't1', spanId: 's1', parentSpanId: 'root', name: 'step', kind: 'internal', startTimeMs: 0, endTimeMs: 10,
    status: { code: 'unset' }, attributes: {}, events: [], logs: [], resource: {}, ...over,
  };
}

const variables = { question: 'How long do refunds take?', context: 'Refunds take 5-7 business days.' };

describe('prompt templates outside app.prompt.*', () => {
  it('a Traceloop task whose kwargs name the template → prompt step with id, version, variables and rendered text', () => {
    const s = span({ name: 'render_prompt.task', attributes: {
      'traceloop.span.kind': 'task', 'traceloop.entity.name': 'render_prompt',
      'traceloop.entity.input': JSON.stringify({ args: [], kwargs: { template_id: 'refund-answer', version: 3, variables } }),
      'traceloop.entity.output': JSON.stringify('Context: Refunds take 5-7 business days.\n\nQuestion: How long do refunds take?') } });
    expect(viewSpan(s).step).toEqual({ type: 'prompt', templateId: 'refund-answer', version: '3', variables,
      rendered: [{ role: 'user', content: 'Context: Refunds take 5-7 business days.\n\nQuestion: How long do refunds take?' }] });
  });

  it('a Traceloop task whose first argument is the template object (camelCase keys)', () => {
    const s = span({ name: 'renderPrompt.task', attributes: { 'traceloop.span.kind': 'task',
      'traceloop.entity.input': JSON.stringify({ args: [{ templateName: 'refund-answer', templateVersion: 'v4', templateVariables: variables }], kwargs: {} }) } });
    expect(viewSpan(s).step).toMatchObject({ type: 'prompt', templateId: 'refund-answer', version: 'v4', variables });
  });

  it('Traceloop prompt-registry keys, variables flattened one key per variable', () => {
    const s = span({ name: 'prompt', attributes: { 'traceloop.prompt.key': 'refund-answer', 'traceloop.prompt.version': '5',
      'traceloop.prompt.template': 'Q: {{question}}', 'traceloop.prompt.template_variables.question': variables.question } });
    expect(viewSpan(s).step).toEqual({ type: 'prompt', templateId: 'refund-answer', version: '5', template: 'Q: {{question}}', variables: { question: variables.question } });
  });

  it('a Langfuse span with template fields in its metadata (flattened keys or one JSON object)', () => {
    const flat = span({ name: 'render-prompt', attributes: { 'langfuse.observation.type': 'span',
      'langfuse.observation.metadata.prompt_template': 'refund-answer', 'langfuse.observation.metadata.template_version': '2',
      'langfuse.observation.metadata.variables': JSON.stringify(variables), 'langfuse.observation.output': '"Question: How long do refunds take?"' } });
    expect(viewSpan(flat).step).toMatchObject({ type: 'prompt', templateId: 'refund-answer', version: '2', variables,
      rendered: [{ role: 'user', content: 'Question: How long do refunds take?' }] });
    const whole = span({ name: 'render-prompt', attributes: { 'langfuse.observation.type': 'span',
      'langfuse.observation.metadata': JSON.stringify({ prompt: { name: 'refund-answer', version: 7, variables } }) } });
    expect(viewSpan(whole).step).toMatchObject({ type: 'prompt', templateId: 'refund-answer', version: '7', variables });
  });

  it('a Langfuse generation with template metadata keeps being the llm step, with the link in LlmStep.prompt', () => {
    const s = span({ name: 'chat', attributes: { 'langfuse.observation.type': 'generation', 'langfuse.observation.model.name': 'gpt-4o-mini',
      'langfuse.observation.metadata.template_id': 'refund-answer', 'langfuse.observation.metadata.template_version': '2' } });
    const step = viewSpan(s).step as LlmStep;
    expect(step.type).toBe('llm');
    expect(step.prompt).toEqual({ templateId: 'refund-answer', version: '2' });
  });

  it('a span named like a prompt-rendering step takes its input as the variables', () => {
    const positional = span({ name: 'render_prompt.task', attributes: { 'traceloop.span.kind': 'task',
      'traceloop.entity.input': JSON.stringify({ args: ['refund-answer', variables], kwargs: {} }), 'traceloop.entity.output': '"Q: How long do refunds take?"' } });
    expect(viewSpan(positional).step).toEqual({ type: 'prompt', templateId: 'refund-answer', variables, rendered: [{ role: 'user', content: 'Q: How long do refunds take?' }] });
    const langfuse = span({ name: 'build-prompt', attributes: { 'langfuse.observation.type': 'span', 'langfuse.observation.input': JSON.stringify(variables) } });
    expect(viewSpan(langfuse).step).toMatchObject({ type: 'prompt', variables });
  });

  it('leaves ordinary task inputs and the root alone', () => {
    const task = span({ name: 'answer.task', attributes: { 'traceloop.span.kind': 'task', 'traceloop.entity.input': JSON.stringify({ args: [variables], kwargs: {} }) } });
    expect(viewSpan(task).step?.type).toBe('chain');
    const root = span({ parentSpanId: undefined, name: 'refund-bot.workflow', attributes: { 'traceloop.span.kind': 'workflow',
      'traceloop.entity.input': JSON.stringify({ args: [], kwargs: { template_id: 'x', question: 'q' } }) } });
    delete root.parentSpanId;
    expect(viewSpan(root).step?.type).toBe('chain');
  });
});
