/**
 * Rule matching and reply planning: pure functions from a normalized request to the reply
 * every wire format renders. Regexes are compiled once at start so matching stays cheap.
 */
import { ConfigError } from '../errors.js';
import { countTokens, truncateToTokens } from './tokens.js';
import type { FakeRule, FakeRuleWhen, FinishReason, NormalizedRequest, ReplyPlan } from './types.js';

/** A rule with its regexes compiled. */
export interface CompiledRule {
  rule: FakeRule;
  model?: RegExp;
  system?: RegExp;
  user?: RegExp;
  anyText?: RegExp;
}

const regexFields = ['model', 'system', 'user', 'anyText'] as const;

/**
 * Compiles rule regexes. Throws `ConfigError` naming `rules[i].when.<field>` (and `file`
 * when given) for an invalid regex.
 */
export function compileRules(rules: readonly FakeRule[], file?: string): CompiledRule[] {
  return rules.map((rule, i) => {
    const compiled: CompiledRule = { rule };
    const when: FakeRuleWhen = rule.when ?? {};
    for (const field of regexFields) {
      const source = when[field];
      if (source === undefined) continue;
      try {
        compiled[field] = new RegExp(source);
      } catch (cause) {
        throw new ConfigError('invalid regular expression in a fake provider rule', {
          ...(file === undefined ? {} : { file }),
          field: `rules[${i}].when.${field}`,
          expected: 'a JavaScript regular expression',
          found: source,
          cause,
        });
      }
    }
    return compiled;
  });
}

/** The rule's reply, or one of its `sometimes` alternatives (one draw per matched request). */
function pickReply(rule: FakeRule, draw: () => number): FakeRule['reply'] {
  if (!rule.sometimes?.length) return rule.reply;
  let x = draw();
  for (const alt of rule.sometimes) {
    if (x < alt.p) return alt.reply;
    x -= alt.p;
  }
  return rule.reply;
}

/** The first rule whose conditions all hold, or undefined. */
export function matchRule(rules: readonly CompiledRule[], req: NormalizedRequest): FakeRule | undefined {
  for (const c of rules) {
    const when = c.rule.when;
    if (when?.api !== undefined && when.api !== req.api) continue;
    if (when?.hasToolResult !== undefined && when.hasToolResult !== req.hasToolResult) continue;
    if (c.model !== undefined && !c.model.test(req.model)) continue;
    if (c.system !== undefined && !c.system.test(req.system)) continue;
    if (c.user !== undefined && !c.user.test(req.lastUser)) continue;
    if (c.anyText !== undefined && !c.anyText.test(req.allText)) continue;
    return c.rule;
  }
  return undefined;
}

/** The reply when no rule matches: `[fake:<model>] ` plus the first 80 characters of the last user message. */
export function defaultReplyText(req: NormalizedRequest): string {
  return `[fake:${req.model}] ${req.lastUser.slice(0, 80)}`;
}

/** Translates any API's finish reason spelling to the neutral one. */
export function canonicalFinishReason(reason: string): FinishReason {
  switch (reason) {
    case 'end_turn':
    case 'stop_sequence':
    case 'completed':
      return 'stop';
    case 'max_tokens':
    case 'max_output_tokens':
      return 'length';
    case 'tool_use':
    case 'function_call':
      return 'tool_calls';
    default:
      return reason;
  }
}

/**
 * Decides the reply: rule or default, placeholders filled, text cut to the request's token
 * limit. A cut drops the tool calls too, as a real model stops before emitting them.
 */
export function planReply(rules: readonly CompiledRule[], req: NormalizedRequest, draw: () => number = () => 1): ReplyPlan {
  const rule = matchRule(rules, req);
  const reply = (rule ? pickReply(rule, draw) : undefined) ?? { content: defaultReplyText(req) };
  let content = fillPlaceholders(reply.content ?? '', req);
  let toolCalls = reply.toolCalls ?? [];
  let finishReason: FinishReason =
    reply.finishReason !== undefined
      ? canonicalFinishReason(reply.finishReason)
      : toolCalls.length > 0
        ? 'tool_calls'
        : 'stop';
  if (req.maxTokens !== undefined && countTokens(content) > req.maxTokens) {
    content = truncateToTokens(content, req.maxTokens);
    toolCalls = [];
    finishReason = 'length';
  }
  let outputTokens = countTokens(content);
  for (const call of toolCalls) outputTokens += countTokens(call.name) + countTokens(JSON.stringify(call.arguments));
  return { content, toolCalls, finishReason, inputTokens: countTokens(req.allText), outputTokens };
}

function fillPlaceholders(text: string, req: NormalizedRequest): string {
  if (!text.includes('{{')) return text;
  return text.replace(/\{\{\s*(last_user|model)\s*\}\}/g, (_m, name: string) =>
    name === 'model' ? req.model : req.lastUser,
  );
}
