/**
 * The version DAG and the merge of heads, without git: nodes are built in memory the way two
 * branches would write them, and the merged state is checked against what each branch did.
 */
import { describe, expect, it } from 'vitest';
import type { Case } from '../../src/datasets/case.js';
import { computeCaseId } from '../../src/datasets/case.js';
import { mergeCuratedCases } from '../../src/datasets/curation/merge-cases.js';
import type { VersionNode } from '../../src/datasets/format/version-file.js';
import { VersionDag } from '../../src/datasets/storage/dag.js';
import { selectState } from '../../src/datasets/storage/dataset-read.js';
import { stateOf } from '../../src/datasets/storage/dataset-state.js';
import { makeCase } from './datasets-fixtures.js';

const prov = { source: 'test', traceIds: [], time: '2026-11-27T10:00:00.000Z', toolVersion: '0.1.0', redaction: {} };
function node(id: string, parents: string[], added: string[], removed: string[] = [], replaced: Record<string, string[]> = {}): VersionNode {
  return { id, parents, created: `2026-11-27T10:00:0${id.length % 10}.000Z`, hash: `sha256:${id.padEnd(64, '0')}`, provenance: prov, changes: { added: Object.fromEntries(added.map((c) => [c, `h-${c}`])), removed, replaced } };
}
const dagOf = (...nodes: VersionNode[]) => new VersionDag(new Map(nodes.map((n) => [n.id, n])));
const withId = (body: Omit<Case, 'id'>): Case => ({ ...body, id: computeCaseId(body) });

describe('VersionDag', () => {
  // main: root adds a, b. Branch A adds c and removes b. Branch B adds d and re-adds nothing.
  const dag = dagOf(node('r', [], ['a', 'b']), node('A', ['r'], ['c'], ['b']), node('B', ['r'], ['d']));

  it('heads are the versions nobody names as a parent', () => {
    expect(dag.heads()).toEqual(['A', 'B']);
    expect(dag.roots()).toEqual(['r']);
    expect([...dag.ancestors('A')].sort()).toEqual(['A', 'r']);
  });

  it('the merged case set is the union of additions with every removal applied, in any order', () => {
    expect(Object.keys(dag.caseSet(['A', 'B']))).toEqual(['a', 'c', 'd']);
    expect(Object.keys(dag.caseSet(['B', 'A']))).toEqual(['a', 'c', 'd']);
    expect(Object.keys(dag.caseSet(['B']))).toEqual(['a', 'b', 'd']);
  });

  it('a removal only removes additions it had seen (re-adding on another branch wins)', () => {
    const d = dagOf(node('r', [], ['a']), node('A', ['r'], [], ['a']), node('B', ['r'], ['x']), node('B2', ['B'], ['a']));
    expect(Object.keys(d.caseSet(['A', 'B2']))).toEqual(['a', 'x']);
    expect(Object.keys(d.caseSet(['A']))).toEqual([]);
  });

  it('a long history does not overflow the stack', () => {
    const nodes = [node('n0', [], ['a'])];
    for (let i = 1; i < 20_000; i++) nodes.push(node(`n${i}`, [`n${i - 1}`], []));
    const dag = dagOf(...nodes);
    expect(dag.ancestors('n19999').size).toBe(20_000);
    expect(dag.isAncestor('n0', 'n19999')).toBe(true);
    expect(Object.keys(dag.caseSet(['n19999']))).toEqual(['a']);
  });
});

describe('mergeCuratedCases', () => {
  const base = withId(makeCase('t1'));
  const expectA = withId({ ...base, expected: { output: 'A' } });
  const expectB = withId({ ...base, expected: { output: 'B' } });
  const tagged = withId({ ...base, labels: { ...base.labels, tags: ['refund', 'x'] } });
  const tagged2 = withId({ ...base, labels: { ...base.labels, tags: ['refund', 'y'] } });

  it('takes each side\'s change when they touch different fields, and unions tags', () => {
    const m = mergeCuratedCases(base, [expectA, tagged]);
    expect(m.ok && m.body.expected).toEqual({ output: 'A' });
    expect(m.ok && m.body.labels.tags).toEqual(['refund', 'x']);
    const t = mergeCuratedCases(base, [tagged, tagged2]);
    expect(t.ok && t.body.labels.tags).toEqual(['refund', 'x', 'y']);
  });

  it('two values for one field are a conflict naming both', () => {
    const m = mergeCuratedCases(base, [expectA, expectB]);
    expect(m).toEqual({ ok: false, conflicts: [{ path: 'expected.output', base: undefined, values: [{ caseId: expectA.id, value: 'A' }, { caseId: expectB.id, value: 'B' }] }] });
  });

  it('equal changes agree', () => {
    const m = mergeCuratedCases(base, [expectA, withId({ ...base, expected: { output: 'A' } })]);
    expect(m.ok).toBe(true);
  });
});

describe('stateOf: several heads', () => {
  const base = withId(makeCase('t1'));
  const a = withId({ ...base, expected: { output: 'A' } });
  const b = withId({ ...base, labels: { ...base.labels, tags: ['b', 'refund'] } });
  const b2 = withId({ ...base, expected: { output: 'B' } });
  const cases = new Map([base, a, b, b2].map((c) => [c.id, c]));
  const load = async (id: string) => cases.get(id) as Case;

  it('merges concurrent curations of one case into one pending case replacing both', async () => {
    const dag = dagOf(node('r', [], [base.id]), node('A', ['r'], [a.id], [base.id], { [a.id]: [base.id] }), node('B', ['r'], [b.id], [base.id], { [b.id]: [base.id] }));
    const s = await stateOf(dag, dag.heads(), load, new Map([[base.id, `h-${base.id}`]]));
    expect(s.conflicts).toEqual([]);
    const [merged] = [...s.pending.values()];
    expect(merged?.c).toMatchObject({ expected: { output: 'A' }, labels: { tags: ['b', 'refund'] } });
    expect(Object.keys(s.cases)).toEqual([merged?.c.id]);
    expect(s.replaced).toEqual({ [merged?.c.id as string]: [a.id, b.id].sort() });
  });

  it('reports a conflict naming the case and both values', async () => {
    const dag = dagOf(node('r', [], [base.id]), node('A', ['r'], [a.id], [base.id], { [a.id]: [base.id] }), node('B', ['r'], [b2.id], [base.id], { [b2.id]: [base.id] }));
    const s = await stateOf(dag, dag.heads(), load, new Map());
    expect(s.conflicts).toMatchObject([{ kind: 'curation', caseId: base.id, traceId: 't1', candidates: [a.id, b2.id].sort() }]);
    expect(s.conflicts[0]?.fields[0]?.values.map((v) => v.value).sort()).toEqual(['A', 'B']);
  });

  it('a case removed on one branch and curated on another is a conflict until a version joins them', async () => {
    const nodes = [node('r', [], [base.id]), node('A', ['r'], [], [base.id]), node('B', ['r'], [a.id], [base.id], { [a.id]: [base.id] })];
    const s = await stateOf(dagOf(...nodes), ['A', 'B'], load, new Map([[base.id, 'h']]));
    expect(s.conflicts).toMatchObject([{ kind: 'removed', caseId: base.id, candidates: [a.id], removedIn: 'A' }]);
    const joined = dagOf(...nodes, node('M', ['A', 'B'], []), node('C', ['r'], ['zz']));
    expect((await stateOf(joined, ['C', 'M'], load, new Map([[base.id, 'h']]))).conflicts).toEqual([]);
  });
});

describe('pins by prefix', () => {
  it('an ambiguous prefix is an error listing the candidates', async () => {
    const n1 = { ...node('3f9a2c0000000001', [], []), hash: `sha256:${'1'.repeat(64)}` };
    const n2 = { ...node('3f9a2c0000000002', [], []), hash: `sha256:${'2'.repeat(64)}` };
    const loaded = { name: 'd', layout: 'dag' as const, nodes: new Map([n1, n2].map((n) => [n.id, n])), files: new Map() };
    const err = await selectState('/nowhere', loaded, '3f9a2c').catch((e: Error) => e);
    expect(String(err)).toMatch(/version prefix "3f9a2c" is ambiguous/);
    expect((err as unknown as { details: { expected: string } }).details.expected).toContain('3f9a2c0000000001');
    expect((err as unknown as { details: { expected: string } }).details.expected).toContain('3f9a2c0000000002');
    expect((await selectState('/nowhere', loaded, '3f9a2c0000000002')).state.version).toBe('3f9a2c0000000002');
  });
});
