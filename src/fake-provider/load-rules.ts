/**
 * Reading fake provider rules from a JSON or YAML file. The file holds either a list of rules
 * or `{ rules: [...] }`. Every problem is an `InputError` naming the file and the field.
 */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { InputError, excerpt } from '../errors.js';
import type { FakeApi, FakeRule, FakeRuleWhen, FakeToolCall } from './types.js';

const apis: readonly FakeApi[] = ['chat', 'responses', 'messages'];
const whenKeys = new Set(['model', 'system', 'user', 'anyText', 'hasToolResult', 'api']);
const replyKeys = new Set(['content', 'toolCalls', 'finishReason']);

/** Reads and validates rules from `file` (`.json` is parsed as JSON, anything else as YAML). */
export async function loadRules(file: string): Promise<FakeRule[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new InputError('cannot read the fake provider rules file', { file, cause });
  }
  return parseRules(text, file);
}

/** Parses and validates rules from file content; `file` only names the source in errors. */
export function parseRules(text: string, file: string): FakeRule[] {
  let data: unknown;
  try {
    data = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (cause) {
    const line = cause instanceof YAMLParseError ? cause.linePos?.[0].line : undefined;
    throw new InputError(`not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}`, {
      file,
      ...(line === undefined ? {} : { line }),
      found: cause instanceof Error ? cause.message.split('\n')[0] : String(cause),
      cause,
    });
  }
  return validateRules(data, file);
}

/** Checks that `data` is a list of rules (or `{ rules }`) and returns it typed. */
export function validateRules(data: unknown, file: string): FakeRule[] {
  const wrapped = isObject(data) && 'rules' in data;
  const list = wrapped ? data['rules'] : data;
  const prefix = wrapped ? 'rules' : '';
  if (!Array.isArray(list)) fail(file, prefix || '(root)', 'a list of rules or { rules: [...] }', list);
  return list.map((item, i) => validateRule(item, file, `${prefix}[${i}]`));
}

function validateRule(item: unknown, file: string, at: string): FakeRule {
  if (!isObject(item)) fail(file, at, 'an object with `reply` and optional `when`', item);
  const unknownKey = Object.keys(item).find((k) => k !== 'when' && k !== 'reply' && k !== 'sometimes');
  if (unknownKey !== undefined) fail(file, `${at}.${unknownKey}`, 'only `when`, `reply` and `sometimes`', unknownKey);
  const rule: FakeRule = { reply: validateReply(item['reply'], file, `${at}.reply`) };
  if (item['sometimes'] !== undefined) {
    const alts = item['sometimes'];
    if (!Array.isArray(alts)) fail(file, `${at}.sometimes`, 'a list of { p, reply }', alts);
    rule.sometimes = (alts as unknown[]).map((alt, j) => {
      const aat = `${at}.sometimes[${j}]`;
      if (!isObject(alt) || typeof alt['p'] !== 'number' || !(alt['p'] >= 0 && alt['p'] <= 1)) fail(file, `${aat}.p`, 'a probability from 0 to 1', isObject(alt) ? alt['p'] : alt);
      return { p: alt['p'] as number, reply: validateReply(alt['reply'], file, `${aat}.reply`) };
    });
  }
  if (item['when'] !== undefined) rule.when = validateWhen(item['when'], file, `${at}.when`);
  return rule;
}

function validateWhen(v: unknown, file: string, at: string): FakeRuleWhen {
  if (!isObject(v)) fail(file, at, 'an object of conditions', v);
  for (const [key, value] of Object.entries(v)) {
    const field = `${at}.${key}`;
    if (!whenKeys.has(key)) fail(file, field, `one of ${[...whenKeys].join(', ')}`, key);
    if (key === 'hasToolResult') {
      if (typeof value !== 'boolean') fail(file, field, 'true or false', value);
    } else if (key === 'api') {
      if (!apis.includes(value as FakeApi)) fail(file, field, apis.join(' | '), value);
    } else {
      if (typeof value !== 'string') fail(file, field, 'a regular expression string', value);
      try {
        new RegExp(value);
      } catch {
        fail(file, field, 'a valid JavaScript regular expression', value);
      }
    }
  }
  return v as FakeRuleWhen;
}

function validateReply(v: unknown, file: string, at: string): FakeRule['reply'] {
  if (!isObject(v)) fail(file, at, 'an object with `content` and/or `toolCalls`', v);
  for (const key of Object.keys(v)) {
    if (!replyKeys.has(key)) fail(file, `${at}.${key}`, `one of ${[...replyKeys].join(', ')}`, key);
  }
  if (v['content'] !== undefined && typeof v['content'] !== 'string') fail(file, `${at}.content`, 'a string', v['content']);
  if (v['finishReason'] !== undefined && typeof v['finishReason'] !== 'string') {
    fail(file, `${at}.finishReason`, 'a string such as stop, length, tool_calls', v['finishReason']);
  }
  const calls = v['toolCalls'];
  if (calls !== undefined) {
    if (!Array.isArray(calls)) fail(file, `${at}.toolCalls`, 'a list of { name, arguments }', calls);
    calls.forEach((c: unknown, i) => validateToolCall(c, file, `${at}.toolCalls[${i}]`));
  }
  return v as FakeRule['reply'];
}

function validateToolCall(c: unknown, file: string, at: string): FakeToolCall {
  if (!isObject(c)) fail(file, at, 'an object { name, arguments }', c);
  if (typeof c['name'] !== 'string' || c['name'] === '') fail(file, `${at}.name`, 'a non-empty string', c['name']);
  if (!isObject(c['arguments'])) fail(file, `${at}.arguments`, 'an object', c['arguments']);
  return c as unknown as FakeToolCall;
}

function fail(file: string, field: string, expected: string, found: unknown): never {
  throw new InputError('invalid fake provider rule', { file, field, expected, found: excerpt(found) });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
