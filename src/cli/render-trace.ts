/**
 * Text views of a trace for the terminal: the step timeline (what happened in the seconds
 * between request and answer) printed by `snapshot`, and the detailed pipeline view of
 * `inspect` (documents, rendered prompt, model calls, tools, parse step, diagnosis).
 */
import type { Diagnosis } from '../datasets/case.js';
import type { Message, Span, Step, Trace } from '../traces/model.js';
import { parserFellBack } from '../diagnose/diagnose-steps.js';

/** Tree levels drawn with indentation; deeper spans are flattened and labelled with their depth. */
const MAX_INDENT = 40;

export interface RenderOptions {
  /** Full texts instead of one-line excerpts. Default false. */
  full?: boolean;
}

/** One header line plus one line per span, indented as a tree, with offsets and durations. */
export function renderTimeline(trace: Trace, diagnosis: readonly Diagnosis[] = []): string {
  const lines = [traceHeader(trace)];
  const ids = new Set(trace.spans.map((s) => s.spanId));
  const children = new Map<string | undefined, Span[]>();
  for (const s of trace.spans) {
    const parent = s.parentSpanId !== undefined && ids.has(s.parentSpanId) ? s.parentSpanId : undefined;
    const list = children.get(parent);
    if (list) list.push(s);
    else children.set(parent, [s]);
  }
  lines.push(`${'start'.padStart(8)} ${'took'.padStart(8)}`);
  // Iterative, not recursive: a trace is untrusted input and its parent chain may be thousands
  // deep. Indentation stops growing past MAX_INDENT levels (the depth is then printed).
  const stack: Array<{ s: Span; prefix: string; last: boolean; depth: number }> = [];
  const pushChildren = (parent: string | undefined, prefix: string, depth: number): void => {
    const list = children.get(parent) ?? [];
    for (let i = list.length - 1; i >= 0; i--) stack.push({ s: list[i]!, prefix, last: i === list.length - 1, depth });
  };
  pushChildren(undefined, '', 0);
  while (stack.length > 0) {
    const { s, prefix, last, depth } = stack.pop()!;
    const at = `${fmtMs(s.startTimeMs - trace.startTimeMs).padStart(8)} ${fmtMs(s.endTimeMs - s.startTimeMs).padStart(8)}  `;
    const deep = depth > MAX_INDENT ? `[depth ${depth}] ` : '';
    lines.push(`${at}${prefix}${last ? '└─ ' : '├─ '}${deep}${spanSummary(s)}`);
    pushChildren(s.spanId, depth >= MAX_INDENT ? prefix : prefix + (last ? '   ' : '│  '), depth + 1);
  }
  if (diagnosis.length > 0) {
    lines.push('diagnosis:');
    for (const d of diagnosis) lines.push(`  ! ${d.label.padEnd(24)} ${d.spanName}: ${d.reason}`);
  } else {
    lines.push('diagnosis: nothing found');
  }
  return lines.join('\n');
}

export function traceHeader(t: Trace): string {
  const parts = [`trace ${t.traceId}`, t.name ? JSON.stringify(t.name) : '', fmtMs(t.endTimeMs - t.startTimeMs), t.status === 'error' ? 'ERROR' : 'ok'];
  parts.push(new Date(t.startTimeMs).toISOString());
  if (t.userId) parts.push(`user ${t.userId}`);
  if (t.tags.length) parts.push(`tags ${t.tags.join(',')}`);
  for (const f of t.feedback) parts.push(`feedback ${f.name}=${f.score ?? f.value ?? '?'}${f.comment ? ` "${oneLine(f.comment, 60)}"` : ''}`);
  return parts.filter(Boolean).join('  ');
}

/** What one step was, in one line. */
export function spanSummary(s: Span): string {
  const err = s.status.code === 'error' ? `  ERROR${s.status.message ? ` ${oneLine(s.status.message, 60)}` : ''}` : '';
  const step = s.step;
  if (!step) return `${s.name}${err}`;
  return `${s.name} [${step.type}] ${stepFacts(step)}${err}`.replace(/\s+$/, '');
}

function stepFacts(step: Step): string {
  switch (step.type) {
    case 'llm': {
      const u = step.usage;
      const tokens = u ? `tokens in ${u.inputTokens ?? '?'} / out ${u.outputTokens ?? '?'}` : '';
      const calls = step.output.flatMap((m) => m.toolCalls ?? []).map((c) => c.name);
      return [step.responseModel ?? step.model ?? '', tokens, step.finishReason ? `finish=${step.finishReason}` : '', calls.length ? `calls ${calls.join(', ')}` : '', step.error ? `error: ${oneLine(step.error.message, 60)}` : '']
        .filter(Boolean)
        .join('  ');
    }
    case 'retrieval': {
      const scores = step.documents.map((d) => d.score).filter((x): x is number => typeof x === 'number');
      const best = scores.length ? `  best score ${Math.max(...scores).toFixed(2)}` : '';
      return `${step.documents.length} document(s)${best}${step.query ? `  query "${oneLine(step.query, 50)}"` : ''}`;
    }
    case 'tool':
      return `${step.name}(${oneLine(JSON.stringify(step.arguments ?? {}), 60)})${step.error ? `  error: ${oneLine(step.error.message, 60)}` : ''}`;
    case 'parse':
      return parserFellBack(step) ? 'FALLBACK used' : step.error !== undefined ? 'failed' : 'parsed';
    case 'prompt':
      return [step.templateId, step.version ? `v${step.version}` : '', step.variables ? `vars ${Object.keys(step.variables).join(',')}` : ''].filter(Boolean).join(' ');
    case 'embedding':
      return step.model ?? '';
    case 'chain':
      return step.kind ?? '';
  }
}

/** The detailed view of `inspect`. */
export function renderDetails(trace: Trace, diagnosis: readonly Diagnosis[], opts: RenderOptions = {}): string {
  const cut = (s: string, n: number): string => (opts.full ? s : oneLine(s, n));
  const out: string[] = [renderTimeline(trace, diagnosis), ''];
  for (const s of trace.spans) {
    const step = s.step;
    if (!step) continue;
    if (step.type === 'retrieval') {
      out.push(`── retrieval: ${s.name}${step.store ? ` (${step.store})` : ''}${step.query ? `\n   query: ${cut(step.query, 200)}` : ''}`);
      step.documents.forEach((d, i) => out.push(`   [${i + 1}] ${d.id ?? '-'}  score ${d.score?.toFixed(3) ?? '-'}  ${cut(d.content ?? '', 160)}`));
    } else if (step.type === 'llm') {
      const params = Object.entries(step.params).filter(([k]) => k !== 'extra').map(([k, v]) => `${k}=${JSON.stringify(v)}`);
      out.push(`── model call: ${s.name}  ${step.provider ?? ''} ${step.model ?? ''}${step.responseModel && step.responseModel !== step.model ? ` → ${step.responseModel}` : ''}`);
      if (params.length) out.push(`   params: ${params.join(' ')}`);
      if (step.usage) out.push(`   usage: ${Object.entries(step.usage).map(([k, v]) => `${k}=${v}`).join(' ')}`);
      if (step.finishReason) out.push(`   finish reason: ${step.finishReason}`);
      if (step.tools?.length) out.push(`   tools offered: ${step.tools.map((t) => t.name).join(', ')}`);
      if (step.contentMissing) out.push('   (message content was not captured by the instrumentation)');
      if (step.contentFrom !== undefined) out.push(`   (messages taken from span ${step.contentFrom}: the call's own span recorded none)`);
      out.push('   prompt:', ...step.input.map((m) => `     ${fmtMessage(m, cut)}`));
      out.push('   answer:', ...step.output.map((m) => `     ${fmtMessage(m, cut)}`));
      if (step.error) out.push(`   error: ${step.error.type ? `${step.error.type}: ` : ''}${step.error.message}`);
    } else if (step.type === 'tool') {
      out.push(`── tool: ${step.name}${step.callId ? ` (${step.callId})` : ''}`, `   arguments: ${cut(JSON.stringify(step.arguments ?? null), 200)}`, `   result: ${cut(JSON.stringify(step.result ?? null), 200)}`);
      if (step.error) out.push(`   error: ${step.error.message}`);
    } else if (step.type === 'parse') {
      out.push(`── parse: ${s.name}${parserFellBack(step) ? '  FALLBACK' : ''}`, `   received: ${cut(JSON.stringify(step.input ?? null), 200)}`, `   returned: ${cut(JSON.stringify(step.output ?? null), 200)}`);
      if (step.error) out.push(`   error: ${step.error.message}`);
    } else if (step.type === 'prompt') {
      out.push(`── prompt template: ${step.templateId ?? s.name}${step.version ? ` v${step.version}` : ''}`);
      if (step.template) out.push(`   template: ${cut(step.template, 200)}`);
      if (step.variables) out.push(`   variables: ${cut(JSON.stringify(step.variables), 200)}`);
    }
  }
  return out.join('\n');
}

function fmtMessage(m: Message, cut: (s: string, n: number) => string): string {
  const calls = (m.toolCalls ?? []).map((c) => `→ ${c.name}(${cut(JSON.stringify(c.arguments), 80)})`).join(' ');
  const id = m.toolCallId ? ` [${m.toolCallId}]` : '';
  return `${m.role}${id}: ${m.content !== null ? cut(m.content, 160) : ''}${calls ? ` ${calls}` : ''}`;
}

export function fmtMs(ms: number): string {
  if (!Number.isFinite(ms)) return '?';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

export function oneLine(s: string, max: number): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}
