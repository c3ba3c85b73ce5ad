/**
 * `evals datasets diff`: cases added, removed and changed (same trace id, new content) between
 * two states of a dataset.
 */
import type { Case } from '../case.js';
import { caseTitle } from '../case.js';
import type { VersionSelector } from './dataset-io.js';
import { readVersion } from './dataset-read.js';

/** A case as listed in a diff. */
export interface CaseBrief {
  id: string;
  traceId: string;
  title: string;
}

/** Difference between two states. A case whose trace id is on both sides with new content is `changed`. */
export interface VersionDiff {
  dataset: string;
  from: string;
  to: string;
  added: CaseBrief[];
  removed: CaseBrief[];
  changed: Array<{ traceId: string; from: CaseBrief; to: CaseBrief }>;
  unchanged: number;
}

const brief = (c: Case): CaseBrief => ({ id: c.id, traceId: c.provenance.traceId, title: caseTitle(c) });

/** Compares states `a` and `b` of dataset `name`. */
export async function diffVersions(root: string, name: string, a: VersionSelector, b: VersionSelector): Promise<VersionDiff> {
  const [va, vb] = await Promise.all([readVersion(root, name, a), readVersion(root, name, b)]);
  const idsA = new Set(va.cases.map((c) => c.id));
  const idsB = new Set(vb.cases.map((c) => c.id));
  const onlyA = va.cases.filter((c) => !idsB.has(c.id));
  const onlyB = vb.cases.filter((c) => !idsA.has(c.id));
  const changed: VersionDiff['changed'] = [];
  const removed: CaseBrief[] = [];
  const addedByTrace = new Map<string, Case[]>();
  for (const c of onlyB) addedByTrace.set(c.provenance.traceId, [...(addedByTrace.get(c.provenance.traceId) ?? []), c]);
  for (const old of onlyA) {
    const match = addedByTrace.get(old.provenance.traceId)?.shift();
    if (match !== undefined) changed.push({ traceId: old.provenance.traceId, from: brief(old), to: brief(match) });
    else removed.push(brief(old));
  }
  const pairedIds = new Set(changed.map((c) => c.to.id));
  return {
    dataset: name,
    from: va.manifest.version,
    to: vb.manifest.version,
    added: onlyB.filter((c) => !pairedIds.has(c.id)).map(brief),
    removed,
    changed,
    unchanged: va.cases.length - onlyA.length,
  };
}
