import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lookupOfMap } from '../../src/cli/run-cases.js';
import { openRunView } from '../../src/cli/run-view.js';
import { compareResults } from '../../src/compare/compare.js';
import { DEFAULT_GATE } from '../../src/config/schema.js';
import { seededRandom } from '../../src/prng.js';
import { REPORT_FORMATS, reporters } from '../../src/reporters/write.js';
import { scanSlimResults } from '../../src/runner/results.js';
import { syntheticRun } from '../browser/synthetic-run.js';

const dirs: string[] = [];
afterEach(async () => { for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true }); });

describe('openRunView (a run directory, streamed)', () => {
  it('renders every report exactly as the in-memory renderers do, and takes incidents from result lines', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'evals-view-'));
    dirs.push(dir);
    const { input } = syntheticRun(40);
    // The second repeat answers differently: the reports show the first repeat's output.
    const results = input.results.map((r) => (r.repeat === 1 && r.output !== null ? { ...r, output: `${r.output} (second run)` } : r));
    // Lines in a shuffled order (repeats of a case out of order too), as concurrent runs write them.
    const rand = seededRandom(3);
    const shuffled = results.map((r) => ({ r, k: rand() })).sort((a, b) => a.k - b.k).map((e) => e.r);
    const pos = new Map(shuffled.map((r, i) => [`${r.caseId}/${r.variant}/${r.repeat}`, i]));
    expect(shuffled.some((r) => r.repeat === 1 && pos.get(`${r.caseId}/${r.variant}/0`)! > pos.get(`${r.caseId}/${r.variant}/1`)!)).toBe(true);
    const incidentCase = results[3]!;
    const lines = shuffled.map((r) => (r === incidentCase ? { ...r, incident: 'INC-7' } : r));
    // A duplicate key: the last line wins, as in readResults.
    await writeFile(join(dir, 'results.jsonl'), `${[lines[0], ...lines].map((r) => JSON.stringify(r)).join('\n')}\n`);
    const { comparison: _old, ...record } = input.run;
    const view = await openRunView(dir, { ...record }, lookupOfMap(input.cases), { gate: DEFAULT_GATE }, () => undefined);
    try {
      const incidents = new Map([[`${incidentCase.dataset}\u0000${incidentCase.caseId}`, 'INC-7']]);
      const comparison = compareResults(shuffled, { gate: DEFAULT_GATE, incidents });
      expect(view.comparison).toEqual(comparison);
      expect(view.comparison.cases.find((c) => c.caseId === incidentCase.caseId && c.variant === incidentCase.variant)?.incident).toBe('INC-7');
      const memory = { run: { ...record, comparison }, results, cases: input.cases };
      for (const f of REPORT_FORMATS) expect([...reporters[f].chunks(view)].join(''), f).toBe(reporters[f].render(memory));
      // The file as the run last read it (handed over after confirmation): the same view.
      const scanned = await scanSlimResults(dir);
      expect(scanned.bytes).toBe((await stat(join(dir, 'results.jsonl'))).size);
      const again = await openRunView(dir, { ...record }, lookupOfMap(input.cases), { gate: DEFAULT_GATE }, () => undefined, { scan: scanned });
      try {
        expect(again.comparison).toEqual(comparison);
        for (const f of REPORT_FORMATS) expect([...reporters[f].chunks(again)].join(''), f).toBe(reporters[f].render(memory));
      } finally {
        again.close();
      }
    } finally {
      view.close();
    }
  });

  it("lines without incidents: the cases' labels give them (older runs), unless this version's runner wrote every line", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'evals-view-'));
    dirs.push(dir);
    const { input } = syntheticRun(12);
    const labelled = input.results[0]!;
    const cases = new Map(input.cases);
    const c = cases.get(labelled.caseId)!;
    cases.set(c.id, { ...c, labels: { ...c.labels, incident: 'INC-3' } });
    await writeFile(join(dir, 'results.jsonl'), `${input.results.map((r) => JSON.stringify(r)).join('\n')}\n`);
    const { comparison: _old, ...record } = input.run;
    const lookup = lookupOfMap(cases);
    let briefReads = 0;
    const counted = { ...lookup, brief: (id: string) => (briefReads++, lookup.brief(id)) };
    const incidentOf = async (source: Parameters<typeof openRunView>[5]) => {
      briefReads = 0;
      const view = await openRunView(dir, { ...record }, counted, { gate: DEFAULT_GATE }, () => undefined, source);
      try {
        return view.comparison.cases.find((x) => x.caseId === labelled.caseId && x.variant === labelled.variant)?.incident;
      } finally {
        view.close();
      }
    };
    expect(await incidentOf({})).toBe('INC-3');
    const withFallback = briefReads;
    expect(await incidentOf({ incidentsInResults: true })).toBeUndefined();
    // The fallback read every case's brief once more than the summary does.
    expect(withFallback - briefReads).toBe(cases.size);
  });
});
