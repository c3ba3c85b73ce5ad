/**
 * Project evaluator: when the customer asks about a refund, the answer must state the current
 * policy (5-7 business days) and must not cite an archived article. Other questions pass.
 *
 * In your own project, import from the package's light entry (no provider SDK
 * loaded): `import { defineEvaluator } from '@evals-dev/evals/evaluator';`
 */
import { defineEvaluator } from '../src/evaluators/evaluator.js';

const REFUND = /\brefund/i;

export default defineEvaluator({
  name: 'refund-policy',
  evaluate({ case: c, actual }) {
    // The bot renders "Context articles: … Customer question: …" into the user turn: judge the question only.
    const captured = c.input.variables?.question;
    const question = typeof captured === 'string' ? captured : (c.input.query ?? '').split('Customer question:').pop() ?? '';
    if (!REFUND.test(question)) return { score: 1, pass: true, reason: 'not a refund question' };
    const text = actual.output ?? '';
    let answer = text;
    let citations: string[] = [];
    try {
      const parsed = JSON.parse(text) as { answer?: unknown; citations?: unknown };
      if (typeof parsed.answer === 'string') answer = parsed.answer;
      if (Array.isArray(parsed.citations)) citations = parsed.citations.map(String);
    } catch {
      // Not JSON: judge the raw text.
    }
    const archived = citations.filter((id) => /20(1\d)/.test(id));
    if (archived.length > 0) return { score: 0, pass: false, reason: `cites archived article(s) ${archived.join(', ')}` };
    if (!/5-7 business days/.test(answer)) return { score: 0, pass: false, reason: 'does not state the current refund time (5-7 business days)' };
    return { score: 1, pass: true, reason: 'states the current refund policy' };
  },
});
