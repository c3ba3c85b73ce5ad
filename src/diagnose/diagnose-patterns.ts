/**
 * The weighted pattern set behind `injection_suspect`. A text is suspect when the weights of the
 * distinct patterns it matches add up to the threshold (default 1). Strong patterns (weight 1)
 * are phrasings that only make sense as orders to a model ("ignore all previous instructions",
 * chat-template role markers); weak ones ("you are now", "issue a refund", "call the X tool")
 * appear in ordinary support documents too and only count together with another signal.
 *
 * Near misses the set is tested against: "Please ignore this email if you did not request…",
 * "ignore previous versions of this policy", "You are now logged in", "If you are on Windows,
 * disregard the above", "Click Show to reveal your password", "### System requirements".
 */
import { DIRECTIVE_PATTERNS } from './diagnose-directives.js';

export interface InjectionPattern {
  id: string;
  weight: number;
  re: RegExp;
}

/** One matched pattern in a text. */
export interface PatternHit {
  id: string;
  weight: number;
  /** The matched phrase, whitespace collapsed. */
  phrase: string;
  /** Offset of the match in the scanned text. */
  index: number;
}

const OBJECTS = String.raw`(?:instructions?|prompts?|rules|directives?|guidelines|guardrails|programming|constraints|system\s+messages?)`;
const QUALIFIERS = String.raw`(?:previous|prior|above|earlier|preceding|original|initial|system|developer|former|existing|safety)`;
const MODEL = String.raw`(?:ai|assistant|language\s+model|llm|chatbot|bot|model|gpt|claude)`;

/** Fixed phrasings; the composed, any-phrasing half is DIRECTIVE_PATTERNS (diagnose-directives.ts). */
const PHRASE_PATTERNS: readonly InjectionPattern[] = [
  {
    id: 'override-instructions',
    weight: 1,
    re: new RegExp(String.raw`\b(?:ignore|disregard|forget|override|bypass)\s+(?:(?:all|any)\s+(?:of\s+)?)?(?:(?:the|your|my|these|those)\s+)?${QUALIFIERS}\s+(?:\w+\s+)?${OBJECTS}`, 'i'),
  },
  {
    id: 'override-all-instructions',
    weight: 1,
    re: new RegExp(String.raw`\b(?:ignore|disregard|forget|override|bypass)\s+(?:(?:all|any)\s+(?:of\s+)?(?:your\s+|the\s+)?|your\s+)${OBJECTS}`, 'i'),
  },
  {
    id: 'disregard-above-and',
    weight: 1,
    re: /\b(?:disregard|ignore|forget)\s+(?:the\s+|everything\s+|all\s+(?:of\s+)?(?:the\s+)?)?(?:above|foregoing|preceding)(?:\s+(?:text|content|context|messages?))?\s*(?:and|[,;:.!-])\s*(?:instead\s+)?(?:tell|say|respond|reply|output|print|write|answer|call|send|issue|reveal)\b/i,
  },
  { id: 'disregard-above', weight: 0.6, re: /\b(?:disregard|ignore|forget)\s+(?:the|everything|all\s+of\s+the)\s+(?:above|foregoing)\b/i },
  {
    id: 'role-marker',
    weight: 1,
    re: /<\|(?:im_start|im_end|system|assistant|user|endoftext|eot_id|start_header_id)\|>|\[\/?INST\]|<<\/?SYS>>|<\/?(?:system|instructions)>|^[ \t]*#{1,6}[ \t]*(?:system|assistant)(?:[ \t]+(?:message|prompt|instructions?|override))?[ \t]*:?[ \t]*$/im,
  },
  { id: 'shouted-role', weight: 0.6, re: /^[ \t]*(?:SYSTEM|ASSISTANT|DEVELOPER)[ \t]*:/m },
  {
    id: 'new-persona',
    weight: 1,
    re: new RegExp(String.raw`\byou\s+are\s+now\s+(?:(?:an?|the|my)\s+(?:[\w-]+\s+){0,3}?(?:${MODEL}|agent|persona|character)\b|in\s+(?:\w+\s+)?(?:developer|dan|god|admin|debug|unrestricted|jailbreak)\s+mode|[\w-]+,?\s+(?:an?|the)\s+(?:[\w-]+\s+){0,3}?${MODEL}\b|no\s+longer\s+(?:an?\s+)?(?:${MODEL}|bound|restricted))`, 'i'),
  },
  { id: 'dan', weight: 1, re: /\b[Yy]ou\s+are\s+(?:now\s+)?DAN\b|\bDo\s+Anything\s+Now\b/ },
  { id: 'you-are-now', weight: 0.3, re: /\byou\s+are\s+now\b/i },
  { id: 'from-now-on', weight: 0.4, re: /\bfrom\s+now\s+on,?\s+you\s+(?:are|will|must|shall|should)\b/i },
  {
    id: 'reveal-prompt',
    weight: 1,
    re: /\b(?:reveal|print|show|repeat|output|display|disclose|leak|share|tell\s+me|give\s+me|write\s+out)\s+(?:me\s+)?(?:[\w-]+\s+){0,3}?(?:system\s+prompt|(?:hidden|secret|initial|original|internal)\s+(?:instructions|prompt|rules)|instructions\s+you\s+(?:were|have\s+been)\s+given)/i,
  },
  { id: 'system-prompt', weight: 0.4, re: /\bsystem\s+prompt\b/i },
  { id: 'reveal-secret', weight: 0.4, re: /\b(?:reveal|leak|disclose|exfiltrate)\s+(?:\w+\s+){0,2}?(?:api\s+keys?|credentials|secrets?|tokens?)\b/i },
  {
    id: 'address-model',
    weight: 0.7,
    re: new RegExp(String.raw`\b(?:note|message|attention|instructions?|important)\s+(?:to|for)\s+(?:the\s+|any\s+)?${MODEL}\b|\b(?:dear|hey|hi)\s+${MODEL}\b`, 'i'),
  },
  {
    id: 'if-you-are-ai',
    weight: 1,
    re: new RegExp(String.raw`\bif\s+you(?:\s+are|'re|’re)\s+(?:an?\s+)?${MODEL}\b|\b${MODEL}s?\s+(?:(?:that|who)\s+)?(?:is\s+)?(?:reading|processing|summari[sz]ing)\s+this\b`, 'i'),
  },
  { id: 'vocative', weight: 0.5, re: /(?:^|[.!?\]]\s*)(?:AI\s+)?(?:AI|[Aa]ssistant|[Cc]hatbot|[Bb]ot|[Mm]odel)\s*[,:]\s/m },
  { id: 'reader-directed', weight: 0.5, re: /\bwhen\s+you\s+(?:read|process|summari[sz]e)\s+this\b/i },
  { id: 'new-instructions', weight: 0.5, re: /\b(?:new|updated|real|actual|true)\s+(?:instructions|directives|rules|task)\s*:/i },
  { id: 'override-banner', weight: 0.6, re: /\[(?:system|developer)[^\]\n]{0,20}\]|\[admin\s+(?:override|note|instructions?|message)\]|\b(?:system|admin|developer|security)\s+override\b/i },
  { id: 'scripted-reply', weight: 0.5, re: /\b(?:(?:always|only)\s+(?:respond|reply|answer)\s+with|(?:respond|reply|answer)\s+(?:only\s+)?with\b[^\n.]{0,60}\b(?:to|for)\s+(?:every|all|any)\s+(?:questions?|messages?|requests?|users?))/i },
  {
    id: 'exfiltrate',
    weight: 0.6,
    re: /\b(?:send|forward|email|post|upload)\s+(?:the\s+)?(?:user|customer)(?:'s|s'|’s)?\s+(?:[\w-]+\s+){0,2}?(?:e-?mail|address|data|details|information|conversation|history|password|credit\s+card|messages?)\b/i,
  },
  { id: 'system-note', weight: 0.4, re: /\b(?:system|admin|developer)\s+(?:note|override|message|instruction|command)\s*:/i },
  {
    id: 'must-call-tool',
    weight: 1,
    re: new RegExp(String.raw`\b(?:you|${MODEL})\s+(?:must|should|shall|will|need\s+to|have\s+to|are\s+(?:required|instructed)\s+to)\s+(?:now\s+|immediately\s+|also\s+|always\s+)?(?:call|invoke|use|run|execute|trigger)\s+(?:the\s+)?[\x60'"]?[a-z][a-z0-9]*(?:_[a-z0-9]+)+`, 'i'),
  },
  {
    id: 'call-tool',
    weight: 0.5,
    re: /\b(?:call|invoke|execute|trigger)\s+(?:the\s+)?[`'"]?[a-z][a-z0-9]*(?:_[a-z0-9]+)+[`'"]?|\b(?:call|invoke|use|using|execute|trigger)\s+(?:the|a|your)\s+(?:[\w-]+\s+)?(?:tool|function)\b/i,
  },
  {
    id: 'money-imperative',
    weight: 0.6,
    re: new RegExp(String.raw`(?:^|[.!?:,]\s+|\b(?:you|${MODEL})\s+(?:must|should|shall|will|need\s+to|have\s+to)\s+(?:now\s+|immediately\s+|also\s+)?)(?:please\s+)?(?:immediately\s+)?(?:issue|grant|approve|transfer|wire|send)\s+(?:a\s+|an\s+|the\s+)?(?:full\s+|complete\s+)?(?:refunds?|credits?|payments?|money|gift\s+cards?|\$\s?\d)`, 'im'),
  },
  {
    id: 'secrecy',
    weight: 0.6,
    re: /\b(?:do\s+not|don't|never)\s+(?:tell|inform|mention\s+(?:this\s+)?to|reveal\s+(?:this\s+)?to|let)\s+(?:the\s+)?(?:user|customer|human)\b|\bwithout\s+(?:telling|informing|notifying)\s+the\s+(?:user|customer)\b/i,
  },
  { id: 'urgency', weight: 0.3, re: /\b(?:without\s+(?:asking|verifying|verification|checking|confirmation|confirming|approval)|regardless\s+of\s+(?:policy|the\s+rules|eligibility)|do\s+not\s+(?:ask|verify|check)\s+(?:for|the|with))\b/i },
];

/** The pattern set. Order matters only for which phrase a reason quotes first among equal weights. */
export const INJECTION_PATTERNS: readonly InjectionPattern[] = [...PHRASE_PATTERNS, ...DIRECTIVE_PATTERNS];

/** Every pattern that matches `text`, each once (first occurrence). */
export function matchPatterns(text: string, patterns: readonly InjectionPattern[] = INJECTION_PATTERNS): PatternHit[] {
  const hits: PatternHit[] = [];
  for (const p of patterns) {
    const m = p.re.exec(text);
    if (m === null) continue;
    hits.push({ id: p.id, weight: p.weight, phrase: m[0].replace(/\s+/g, ' ').trim(), index: m.index });
  }
  return hits;
}

/** Sum of the weights of the hits; each pattern counts once. */
export function scoreHits(hits: PatternHit[]): number {
  return hits.reduce((sum, h) => sum + h.weight, 0);
}
