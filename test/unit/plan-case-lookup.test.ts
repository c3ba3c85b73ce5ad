import { rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { openCaseLookup } from '../../src/cli/run-cases.js';
import { buildRunPlan, planCaseLookup } from '../../src/cli/run-plan.js';
import { openStore } from '../../src/datasets/store.js';
import { makeCase, tempRoot } from './datasets-fixtures.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => { for (const c of cleanups.splice(0)) await c(); });

describe('planCaseLookup (the reports find the run\'s cases from its plan)', () => {
  it('answers as the lookup over the version files, and declines plans it cannot vouch for', async () => {
    const { root, cleanup } = await tempRoot();
    cleanups.push(cleanup);
    const dir = dirname(root);
    const store = openStore(root);
    await store.writeVersion('a', { add: [makeCase('t1'), makeCase('t2', 'second question')], provenance: { source: 'snapshot' } });
    await store.writeVersion('b', { add: [makeCase('t3', 'third question')], provenance: { source: 'snapshot' } });
    await writeFile(join(dir, 'evals.config.yaml'), [
      'datasets: [a@latest, b@latest]',
      'datasetsDir: datasets',
      'providers:',
      '  fake: { type: openai, baseUrl: "http://127.0.0.1:9/v1", apiKey: test-key-not-used }',
      'pipeline: { type: replay }',
      'baseline: recorded',
      'evaluators:',
      '  - { type: contains, value: refund }',
      '',
    ].join('\n'));
    const loaded = await loadConfig(dir);
    const plan = await buildRunPlan(loaded, { runDir: join(dir, 'run'), runId: 'run', resume: false, configHash: '', configFile: 'evals.config.yaml' });
    const lookup = planCaseLookup(plan);
    expect(lookup).toBeDefined();
    const fromFiles = await openCaseLookup(root, plan.record!.datasets!);
    expect([...lookup!.ids()].sort()).toEqual([...fromFiles.ids()].sort());
    for (const id of fromFiles.ids()) {
      expect(lookup!.get(id)).toEqual(fromFiles.get(id));
      expect(lookup!.brief(id)).toEqual(fromFiles.brief(id));
    }
    // A case handed over whole is not a file of a pinned version: the reports open the versions.
    const whole = { dataset: 'a', case: { ...makeCase('t9'), id: 'c_whole' } };
    expect(planCaseLookup({ ...plan, items: [...plan.items, whole as never] })).toBeUndefined();
    expect(planCaseLookup({ ...plan, items: [] })).toBeUndefined();
    await rm(join(dir, 'run'), { recursive: true, force: true });
  });
});
