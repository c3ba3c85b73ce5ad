import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CaseSpool } from '../../src/cli/case-spool.js';
import { caseBrief } from '../../src/cli/run-cases.js';
import type { Case } from '../../src/datasets/case.js';
import { jsonForScript } from '../../src/reporters/escape.js';
import { caseData } from '../../src/reporters/html/report-data.js';
import { scrubValue } from '../../src/secrets/scrub.js';
import { syntheticRun } from '../browser/synthetic-run.js';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

/** A spool in a new temp dir (removed after the test). */
function freshSpool(): { dir: string; spool: CaseSpool } {
  const dir = mkdtempSync(path.join(tmpdir(), 'evals-spool-'));
  dirs.push(dir);
  return { dir, spool: new CaseSpool(dir) };
}

function cases(n: number): Case[] {
  return [...syntheticRun(n).input.cases.values()];
}

describe('CaseSpool (what evals run keeps of the cases it read)', () => {
  it('gives back each case line and brief exactly as the reports would render them, and deletes its file on close', () => {
    const { dir, spool } = freshSpool();
    const all = cases(300);
    // A secret in one case: the spool holds it scrubbed, like the lookup's cases.
    all[5] = { ...all[5]!, input: { ...all[5]!.input, query: 'my key is sk-proj-abcdefghijklmnopqrstuvwxyz0123456789' } };
    for (const c of all) spool.add('ds', c);
    for (const c of [...all].reverse()) {
      const scrubbed = scrubValue(c);
      expect(spool.line(`ds\u0000${c.id}`)).toBe(jsonForScript(caseData(scrubbed)));
      expect(spool.brief(`ds\u0000${c.id}`)).toEqual(caseBrief(scrubbed));
    }
    expect(spool.line(`ds\u0000${all[5]!.id}`)).not.toContain('sk-proj-abcdefghijklmnopqrstuvwxyz0123456789');
    expect(spool.line(`other\u0000${all[0]!.id}`)).toBeUndefined();
    expect(existsSync(spool.file)).toBe(true);
    const files = readdirSync(dir);
    expect(files.sort()).toEqual(['.report-briefs.tmp', '.report-cases.tmp']);
    // The briefs are in their file, not only in memory: change one there (same length) and it reads back changed.
    const briefs = path.join(dir, '.report-briefs.tmp');
    const title = caseBrief(scrubValue(all[7]!)).title;
    writeFileSync(briefs, readFileSync(briefs, 'utf8').replace(JSON.stringify(title), JSON.stringify(title.toUpperCase())));
    spool.add('ds', cases(301)[300]!); // an append drops the blocks read before
    expect(spool.brief(`ds\u0000${all[7]!.id}`)?.title).toBe(title.toUpperCase());
    spool.close();
    expect(readdirSync(dir)).toEqual([]);
    expect(spool.line(`ds\u0000${all[0]!.id}`)).toBeUndefined();
    expect(spool.brief(`ds\u0000${all[0]!.id}`)).toBeUndefined();
  });

  it('keeps the last of a case added twice (a confirmation re-run reads it again)', () => {
    const { spool } = freshSpool();
    const [a, b] = cases(2);
    spool.add('ds', a!);
    spool.add('ds', b!);
    const changed = { ...a!, labels: { ...a!.labels, tags: ['again'] } };
    spool.add('ds', changed);
    expect(spool.brief(`ds\u0000${a!.id}`)).toEqual(caseBrief(scrubValue(changed)));
    expect(spool.line(`ds\u0000${a!.id}`)).toBe(jsonForScript(caseData(scrubValue(changed))));
    expect(spool.brief(`ds\u0000${b!.id}`)).toEqual(caseBrief(scrubValue(b!)));
    spool.close();
  });

  it('reads a line added after others were read back (no stale cached block)', () => {
    const { spool } = freshSpool();
    const [a, b] = cases(2);
    spool.add('ds', a!);
    expect(spool.line(`ds\u0000${a!.id}`)).toBe(jsonForScript(caseData(scrubValue(a!))));
    spool.add('ds', b!);
    expect(spool.line(`ds\u0000${b!.id}`)).toBe(jsonForScript(caseData(scrubValue(b!))));
    spool.close();
  });

  it('a spool that cannot be written is only a lost shortcut: nothing is known, the reports read the case files', () => {
    const parent = mkdtempSync(path.join(tmpdir(), 'evals-spool-'));
    dirs.push(parent);
    const dir = path.join(parent, 'missing-run-dir');
    const spool = new CaseSpool(dir);
    const all = cases(20);
    for (const c of all) spool.add('ds', c);
    expect(spool.line(`ds\u0000${all[3]!.id}`)).toBeUndefined();
    expect(spool.brief(`ds\u0000${all[3]!.id}`)).toBeUndefined();
    // Added after the spool broke: the brief is kept in memory, the line is not.
    const late = cases(21)[20]!;
    spool.add('ds', late);
    expect(spool.brief(`ds\u0000${late.id}`)).toEqual(caseBrief(scrubValue(late)));
    expect(spool.line(`ds\u0000${late.id}`)).toBeUndefined();
    spool.close();
  });
});
