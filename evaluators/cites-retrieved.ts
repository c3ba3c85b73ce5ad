/**
 * Project evaluator, pipeline-aware: every article the answer cites (`citations` in its JSON)
 * must be a document retrieved for this case — by the candidate when it re-ran retrieval and
 * recorded it (`ctx.recordStep` in a module pipeline), else by production (the case's captured
 * retrieval steps). A citation of a document nobody retrieved is made up. Answers with no
 * citations, and cases with no retrieval, pass.
 *
 * It reads `actual.steps` and `c.context.steps`, never `reference`: reading the reference makes
 * an evaluator reference-based, and such evaluators are not applied to production's own answer.
 * In your own project, import from the package: `import { defineEvaluator } from '@evals-dev/evals/evaluator';`
 */
import { defineEvaluator } from '../src/evaluators/evaluator.js';
import type { CaseStep } from '../src/datasets/case.js';

function retrievedIds(steps: readonly CaseStep[]): string[] {
  return steps.flatMap((s) => (s.step?.type === 'retrieval' ? s.step.documents.map((d) => d.id ?? '') : [])).filter(Boolean);
}

export default defineEvaluator({
  name: 'cites-retrieved',
  evaluate({ case: c, actual }) {
    let citations: string[] = [];
    try {
      const parsed = JSON.parse(actual.output ?? '') as { citations?: unknown };
      if (Array.isArray(parsed.citations)) citations = parsed.citations.map(String);
    } catch {
      return { score: 1, pass: true, reason: 'not JSON: no citations to check' };
    }
    const own = retrievedIds(actual.steps ?? []);
    const retrieved = own.length > 0 ? own : retrievedIds(c.context.steps);
    if (retrieved.length === 0) return { score: 1, pass: true, reason: 'no retrieval in this case' };
    const madeUp = citations.filter((id) => !retrieved.includes(id));
    if (madeUp.length > 0) return { score: 1 - madeUp.length / citations.length, pass: false, reason: `cites ${madeUp.join(', ')}, never retrieved (retrieved: ${retrieved.join(', ')})` };
    return { score: 1, pass: true, reason: citations.length ? `cites only retrieved documents (${citations.join(', ')})` : 'no citations' };
  },
});
