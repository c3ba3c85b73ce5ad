/**
 * Curation: a person sets the expected output, adds an assertion or tags, or drops a case.
 * Case files are never edited: the changed case gets a new id (its content changed), a new
 * file and a new version that replaces the old id with the new one and records that lineage,
 * so two branches that curate the same case are recognised as such when they merge.
 */
import { UsageError } from '../../errors.js';
import type { AssertionConfig, Case } from '../case.js';
import { parseRef, resolveCaseId } from '../storage/dataset-io.js';
import type { DatasetRef } from '../storage/dataset-io.js';
import { readVersion } from '../storage/dataset-read.js';
import { writeVersion } from '../storage/write-version.js';
import type { VersionChange, WriteResult } from '../storage/write-version.js';

/** Options shared by the curation functions. */
export interface CurateOptions {
  /** Recorded in the version's provenance. */
  note?: string;
  /** Passed to the writer (redaction stays on by default). */
  redact?: VersionChange['redact'];
  lock?: VersionChange['lock'];
}

/** What a curation did: the version written and the case's old and new ids. */
export interface CurateResult extends WriteResult {
  oldId: string;
  /** Undefined after {@link removeCase}. */
  newId?: string;
}

async function loadLatestCase(root: string, refOrName: string | DatasetRef, caseId: string): Promise<{ name: string; c: Case }> {
  const ref = typeof refOrName === 'string' ? parseRef(refOrName) : refOrName;
  const latest = await readVersion(root, ref.name, 'latest');
  if (ref.version !== 'latest') {
    const pinned = await readVersion(root, ref.name, ref.version);
    if (pinned.manifest.hash !== latest.manifest.hash) {
      throw new UsageError('curation changes the latest state only', { field: 'ref', expected: `${ref.name} or ${ref.name}@latest`, found: `${ref.name}@${ref.version}` });
    }
  }
  const id = resolveCaseId(latest.cases.map((c) => c.id), `${ref.name}@latest`, caseId);
  return { name: ref.name, c: latest.cases.find((c) => c.id === id) as Case };
}

async function replaceCase(root: string, ref: string | DatasetRef, caseId: string, change: (c: Case) => Case, what: string, opts: CurateOptions): Promise<CurateResult> {
  const { name, c } = await loadLatestCase(root, ref, caseId);
  const { id: _old, ...body } = change(structuredClone(c));
  const result = await writeVersion(root, name, {
    add: [],
    replace: [{ old: c.id, with: body }],
    provenance: { source: 'curate', traceIds: [c.provenance.traceId], note: opts.note ?? `${what} (${c.id})` },
    ...(opts.redact !== undefined ? { redact: opts.redact } : {}),
    ...(opts.lock !== undefined ? { lock: opts.lock } : {}),
  });
  const newId = result.created ? (result.added[0] ?? c.id) : c.id;
  return { ...result, oldId: c.id, newId };
}

/** Sets the reference output of a case (`evals datasets expect`). */
export function setExpected(root: string, ref: string | DatasetRef, caseId: string, output: string, opts: CurateOptions = {}): Promise<CurateResult> {
  return replaceCase(root, ref, caseId, (c) => ({ ...c, expected: { ...c.expected, output } }), 'set expected output', opts);
}

/** Adds a per-case assertion, e.g. `{ type: 'contains', value: 'refund' }` (`evals datasets assert`). */
export async function addAssertion(root: string, ref: string | DatasetRef, caseId: string, assertion: AssertionConfig, opts: CurateOptions = {}): Promise<CurateResult> {
  if (typeof assertion.type !== 'string' || assertion.type === '') {
    throw new UsageError('an assertion needs a type', { field: 'assertion.type', expected: 'a non-empty string such as "contains"', found: JSON.stringify(assertion.type) });
  }
  return replaceCase(
    root,
    ref,
    caseId,
    (c) => ({ ...c, expected: { ...c.expected, assertions: [...(c.expected?.assertions ?? []), assertion] } }),
    `added assertion ${assertion.type}`,
    opts,
  );
}

/** Adds tags (kept sorted and unique) to a case (`evals datasets tag`). */
export function addTags(root: string, ref: string | DatasetRef, caseId: string, tags: readonly string[], opts: CurateOptions = {}): Promise<CurateResult> {
  return replaceCase(root, ref, caseId, (c) => ({ ...c, labels: { ...c.labels, tags: [...new Set([...c.labels.tags, ...tags])].sort() } }), `tagged ${tags.join(', ')}`, opts);
}

/** Drops a case from the next version; its file stays for older versions (`evals datasets rm`). */
export async function removeCase(root: string, ref: string | DatasetRef, caseId: string, opts: CurateOptions = {}): Promise<CurateResult> {
  const { name, c } = await loadLatestCase(root, ref, caseId);
  const result = await writeVersion(root, name, {
    add: [],
    remove: [c.id],
    provenance: { source: 'remove', traceIds: [c.provenance.traceId], note: opts.note ?? `removed ${c.id}` },
    ...(opts.lock !== undefined ? { lock: opts.lock } : {}),
  });
  return { ...result, oldId: c.id };
}
