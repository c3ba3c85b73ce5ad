/**
 * `replay`: re-sends the captured model call with the variant's model, parameters and system
 * prompt (or a template rendered from the captured variables), keeping the captured retrieved
 * context inside the messages. When the model calls tools, each call is answered from the
 * recorded tool results whose name and arguments match; a call with no recorded answer is
 * recorded as unanswered and ends the loop, so the evaluators see what the model tried.
 * The call goes to a configured provider of the API it was recorded with (route-provider.ts).
 */
import type { Case } from '../datasets/case.js';
import type { Json, Message, ToolCall } from '../traces/model.js';
import type { Pipeline, PipelineOutput, VariantOverrides } from './pipeline.js';
import { recordedToolResults } from './recorded-tools.js';
import { routeProvider } from './route-provider.js';
import { renderTemplate } from './template.js';

/**
 * The case cannot be replayed (no captured model call, no model name). Recorded as an error of
 * type `not_replayable`; the gate reports such cases as skipped rather than as failures.
 */
export class NotReplayableError extends Error {
  override readonly name = 'not_replayable';
}

export interface ReplayOptions {
  /** Maximum model calls per case when the model keeps calling tools. Default 6. */
  maxToolRounds?: number;
}

export function createReplayPipeline(options: ReplayOptions = {}): Pipeline {
  const maxRounds = options.maxToolRounds ?? 6;
  return {
    kind: 'replay',
    async run(c, ctx) {
      const messages = buildMessages(c, ctx.variant.overrides);
      if (c.input.messages.length === 0) throw new NotReplayableError(`case ${c.id} has no captured model call to replay (the trace holds no llm step with messages); use a module or http pipeline for it`);
      const model = ctx.variant.overrides.model ?? c.input.model;
      if (!model) throw new NotReplayableError(`case ${c.id} recorded no model call (only its prompt); set \`model\` on the variant to replay it`);
      const params = { ...(c.input.params ?? {}), ...(ctx.variant.overrides.params ?? {}) };
      delete params.stream;
      const provider = ctx.provider(
        ctx.providers ? routeProvider(c, ctx.variant.overrides, ctx.providers.variantDefault, ctx.providers.configured) : ctx.variant.overrides.provider,
      );
      const answers = recordedToolResults(c);
      const allCalls: ToolCall[] = [];
      let last: PipelineOutput = { output: null };
      for (let round = 0; round < maxRounds; round++) {
        const res = await provider.complete(
          { model, messages, params, ...(c.input.tools ? { tools: c.input.tools } : {}) },
          { signal: ctx.signal },
        );
        ctx.recordStep({
          spanId: `replay-llm-${round}`,
          name: `chat ${res.model ?? model}`,
          durationMs: res.latencyMs,
          status: 'ok',
          step: {
            type: 'llm',
            model,
            ...(res.model !== undefined ? { responseModel: res.model } : {}),
            params,
            // Only what this call sent beyond the captured prompt (a replaced system prompt, tool
            // turns): results stay small, and the captured prompt is in the case already.
            input: messages.filter((m, i) => i >= c.input.messages.length || m.content !== c.input.messages[i]?.content),
            output: [{ role: 'assistant', content: res.content, ...(res.toolCalls.length ? { toolCalls: res.toolCalls } : {}) }],
            ...(res.finishReason !== undefined ? { finishReason: res.finishReason } : {}),
            ...(res.usage ? { usage: res.usage } : {}),
          },
        });
        last = { output: res.content, ...(res.finishReason !== undefined ? { finishReason: res.finishReason } : {}), ...(res.model !== undefined ? { model: res.model } : {}) };
        if (res.toolCalls.length === 0) break;
        allCalls.push(...res.toolCalls);
        messages.push({ role: 'assistant', content: res.content, toolCalls: res.toolCalls });
        let unanswered = false;
        for (const [i, call] of res.toolCalls.entries()) {
          const answer = answers.find(call.name, call.arguments);
          const callId = call.id ?? `call_${round}_${i}`;
          ctx.recordStep({
            spanId: `replay-tool-${round}-${i}`,
            name: `execute_tool ${call.name}`,
            durationMs: 0,
            status: answer === undefined ? 'error' : 'ok',
            step: {
              type: 'tool',
              name: call.name,
              callId,
              arguments: call.arguments,
              ...(answer !== undefined ? { result: answer } : { error: { type: 'unanswered', message: 'no recorded result for this tool call (name and arguments did not match the recording)' } }),
            },
          });
          if (answer === undefined) unanswered = true;
          else messages.push({ role: 'tool', toolCallId: callId, content: typeof answer === 'string' ? answer : JSON.stringify(answer) });
        }
        if (unanswered) break;
      }
      return { ...last, ...(allCalls.length ? { toolCalls: allCalls } : {}) };
    },
  };
}

/**
 * Applies the variant's prompt overrides to the captured messages. Both are templates rendered
 * with {@link templateVars}: `systemPrompt` replaces the system message (or is prepended when
 * there was none); `promptTemplate` replaces the last user message.
 */
export function buildMessages(c: Case, o: VariantOverrides): Message[] {
  const messages = c.input.messages.map((m) => ({ ...m }));
  if (o.systemPrompt === undefined && o.promptTemplate === undefined) return messages;
  const vars = templateVars(c);
  if (o.systemPrompt !== undefined) {
    const system = renderTemplate(o.systemPrompt, vars);
    const idx = messages.findIndex((m) => m.role === 'system');
    if (idx >= 0) messages[idx] = { role: 'system', content: system };
    else messages.unshift({ role: 'system', content: system });
  }
  if (o.promptTemplate !== undefined) {
    const user = renderTemplate(o.promptTemplate, vars);
    const idx = messages.map((m) => m.role).lastIndexOf('user');
    if (idx >= 0) messages[idx] = { role: 'user', content: user };
    else messages.push({ role: 'user', content: user });
  }
  return messages;
}

/**
 * Variables a prompt template can use: the case's captured template variables, plus
 * `query` (the user's request), `context` (retrieved documents' text, one per paragraph),
 * `original_system` (the captured system prompt) and `original_user` (the captured last user message).
 */
export function templateVars(c: Case): Record<string, Json> {
  const docs = c.context.steps.flatMap((s) => (s.step?.type === 'retrieval' ? s.step.documents : []));
  const system = c.input.messages.find((m) => m.role === 'system')?.content;
  const user = [...c.input.messages].reverse().find((m) => m.role === 'user')?.content;
  return {
    ...(c.input.query !== undefined ? { query: c.input.query } : {}),
    context: docs.map((d) => d.content ?? '').filter(Boolean).join('\n\n'),
    ...(system ? { original_system: system } : {}),
    ...(user ? { original_user: user } : {}),
    ...(c.input.variables ?? {}),
  };
}
