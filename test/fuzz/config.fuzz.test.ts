/**
 * Fuzzed config files: the README's full config, mutated as text and as YAML structure, loaded
 * the way `evals run` loads it. Bad configs are exit 2 naming the file and the line or field.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { loadConfig } from '../../src/config/load.js';
import { REPO } from '../support/cli.js';
import { expectClean, guarded, mutateJson, mutateText, rng } from './fuzz-harness.js';

const README = readFileSync(path.join(REPO, 'README.md'), 'utf8');
const BASE = /```yaml\n([\s\S]*?)```/.exec(README)![1]!;
const CASES = 150;

describe('fuzz: config files', () => {
  it(`${CASES} mutated configs end in exit 0 or a located exit 2`, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'evals-fuzz-config-'));
    const rnd = rng(20261201);
    const structured = parse(BASE) as unknown;
    for (let i = 0; i < CASES; i++) {
      let text: string;
      if (i % 2 === 0) {
        text = BASE;
        for (let k = 1 + Math.floor(rnd() * 3); k > 0; k--) text = mutateText(text, rnd);
      } else {
        text = stringify(mutateJson(structured, rnd));
      }
      const file = path.join(dir, `c${i}.yaml`);
      writeFileSync(file, text);
      const outcome = await guarded(() => loadConfig(dir, file, {}));
      expectClean(outcome, file, text);
    }
  }, 60_000);
});
