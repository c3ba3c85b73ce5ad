/**
 * Describing merge conflicts of a dataset: one line per conflicting case naming the case, its
 * trace, and every branch's value, plus the command that resolves it. Pure.
 */
import { InputError } from '../../errors.js';
import type { CaseConflict } from './dataset-state.js';

const show = (v: unknown): string => {
  const s = v === undefined ? '(unset)' : JSON.stringify(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
};

/** Human lines for one conflict (no trailing newline). */
export function describeConflict(name: string, c: CaseConflict): string {
  const head = `case ${c.caseId} (trace ${c.traceId}, "${c.title}")`;
  const fix = `resolve with: evals datasets resolve ${name} ${c.caseId} --take <${c.kind === 'removed' ? `${c.candidates[0]}|removed` : c.candidates.join('|')}>`;
  if (c.kind === 'removed') {
    return `${head} was removed on one branch (version ${c.removedIn}) and curated into ${c.candidates.join(', ')} on another; ${fix}`;
  }
  const fields = c.fields.map((f) => `${f.path}: ${f.values.map((v) => `${show(v.value)} in ${v.caseId}`).join(' vs ')} (was ${show(f.base)})`);
  return `${head} was curated differently on two branches: ${fields.join('; ')}; ${fix}`;
}

/** The error a reader or writer throws on a dataset with unresolved conflicts. */
export function conflictError(name: string, conflicts: readonly CaseConflict[], file: string): InputError {
  return new InputError(`dataset "${name}" has ${conflicts.length} unresolved merge conflict(s)`, {
    file,
    field: 'cases',
    expected: 'one value per case after a merge',
    found: conflicts.map((c) => describeConflict(name, c)).join('\n'),
    hint: `run \`evals datasets verify ${name}\` to list them and \`evals datasets resolve\` to settle each`,
  });
}
