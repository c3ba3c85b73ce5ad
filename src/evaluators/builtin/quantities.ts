/**
 * Extracts the figures a text states — numbers, ranges (`5-7`, `5–7`, `5 to 7`), currencies
 * (`$12.50`, `12.50 USD`, `€5`), percentages and durations (`3 business days`, `seven days`,
 * `2 weeks`) — as canonical strings (`5-7 business day`, `USD 12.5`, `20%`), so two texts can be
 * compared figure by figure. ISO dates are one figure (`2026-12-01`). Digits inside words
 * (order ids such as `A1002`) are not figures. Number words count only before a unit.
 */

const NUM = String.raw`(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?`;
const WORDS: Record<string, number> = {
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18,
  nineteen: 19, twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, ninety: 90, hundred: 100,
};
const WORD = Object.keys(WORDS).join('|');
const SYMBOLS: Record<string, string> = { $: 'USD', '€': 'EUR', '£': 'GBP', '¥': 'JPY' };
const SYM = String.raw`[$€£¥]|USD|EUR|GBP|JPY|CAD|AUD|CHF`;
const FIGURE = new RegExp(
  String.raw`(?<![\p{L}\p{N}_.,$€£¥-])(?:(${SYM})\s?)?(${NUM}|${WORD})(?:\s*(?:-|–|—|to)\s*(?:[$€£¥])?(${NUM}|${WORD}))?(?![\p{L}\p{N}_]|[.,]\d)`,
  'giu',
);
const DATE = /(?<![\p{L}\p{N}])\d{4}-\d{2}-\d{2}(?![\p{L}\p{N}])/gu;
const AFTER_CURRENCY = /^\s*(USD|EUR|GBP|JPY|CAD|AUD|CHF|dollars?|euros?|pounds?)(?![\p{L}])/iu;
const AFTER_PERCENT = /^\s*(%|percent\b|per cent\b)/i;
const AFTER_UNIT = /^\s*(?:(business|working|calendar)[\s-]+)?(days?|hours?|hrs?|minutes?|mins?|seconds?|secs?|weeks?|months?|years?|yrs?)(?![\p{L}])/iu;
const UNIT: Record<string, string> = { hr: 'hour', min: 'minute', sec: 'second', yr: 'year' };
const CURRENCY_WORD: Record<string, string> = { dollar: 'USD', euro: 'EUR', pound: 'GBP' };

/** The figures stated in `text`, canonical, in order of appearance (duplicates kept once). */
export function extractQuantities(text: string): string[] {
  const out = new Set<string>();
  const rest = text.replace(DATE, (d) => {
    out.add(d);
    return ' '.repeat(d.length);
  });
  for (const m of rest.matchAll(FIGURE)) {
    const [whole, sym, a, b] = m;
    const after = rest.slice(m.index + whole.length);
    const cur = AFTER_CURRENCY.exec(after);
    const pct = cur ? null : AFTER_PERCENT.exec(after);
    const unit = cur || pct ? null : AFTER_UNIT.exec(after);
    const isWord = (s: string | undefined): boolean => s !== undefined && /^\p{L}/u.test(s);
    // "one of our agents": number words are figures only before a unit or a currency.
    if ((isWord(a) || isWord(b)) && !unit && !cur && !sym) continue;
    const lo = value(a!);
    const hi = b === undefined ? undefined : value(b);
    const currency = sym ? (SYMBOLS[sym] ?? sym.toUpperCase()) : cur ? currencyOf(cur[1]!) : undefined;
    const amount = hi === undefined ? `${lo}` : `${lo}-${hi}`;
    let q = currency ? `${currency} ${amount}` : amount;
    if (pct) q += '%';
    if (unit) q += ` ${unitOf(unit[1], unit[2]!)}`;
    out.add(q);
  }
  return [...out];
}

function value(s: string): number {
  const w = WORDS[s.toLowerCase()];
  return w ?? Number(s.replace(/,/g, ''));
}

function currencyOf(s: string): string {
  const k = s.toLowerCase().replace(/s$/, '');
  return CURRENCY_WORD[k] ?? s.toUpperCase();
}

function unitOf(kind: string | undefined, u: string): string {
  const base = u.toLowerCase().replace(/s$/, '');
  const unit = UNIT[base] ?? base;
  return kind && /^(business|working)$/i.test(kind) && unit === 'day' ? 'business day' : unit;
}
