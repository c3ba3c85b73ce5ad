/**
 * `evals datasets …` end to end, in process: the commander program parses real argv against a
 * temporary datasets directory and its output is captured.
 */
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { datasetsCommand } from '../../src/cli/commands/datasets.js';
import { NotFoundError, UsageError } from '../../src/errors.js';
import { openStore } from '../../src/datasets/store.js';
import { validateJson } from '../../src/datasets/format/json-schema.js';
import { caseSchema, showOutputSchema } from '../../src/datasets/format/schemas.js';
import { makeCase, tempRoot } from '../unit/datasets-fixtures.js';

let root: string;
let cleanup: () => Promise<void>;
let ids: string[];

async function run(...args: string[]): Promise<string> {
  let out = '';
  await datasetsCommand({ write: (t) => void (out += t) }).parseAsync(['--root', root, ...args], { from: 'user' });
  return out;
}

beforeEach(async () => {
  ({ root, cleanup } = await tempRoot());
  ids = (await openStore(root).writeVersion('refund-bot', { add: [makeCase('trace-a', 'Where is my refund?'), makeCase('trace-b', 'Cancel my order')], provenance: { source: 'snapshot', incident: 'INC-42' }, description: 'refunds' })).added;
  process.exitCode = undefined;
});
afterEach(async () => {
  process.exitCode = undefined;
  await cleanup();
});

describe('evals datasets', () => {
  it('list and show print tables', async () => {
    expect(await run('list')).toMatch(/^NAME\s+LATEST\s+CASES\s+HASH\s+UPDATED\s+DESCRIPTION\nrefund-bot\s+[0-9a-f]{16}\s+2\s+[0-9a-f]{12}\s+\S+ \S+\s+refunds\n$/);
    const v1 = (await openStore(root).readVersion('refund-bot')).manifest.version;
    const show = await run('show', `refund-bot@${v1.slice(0, 8)}`);
    expect(show).toContain(`refund-bot@${v1}  sha256:`);
    expect(show).toContain('Where is my refund?');
    expect(show.split('\n').filter((l) => l.startsWith('c_'))).toHaveLength(2);
  });

  it('show --json prints the documented shape', async () => {
    const parsed = JSON.parse(await run('show', 'refund-bot', '--json')) as { dataset: string; version: string; cases: unknown[] };
    expect(validateJson(parsed, showOutputSchema)).toEqual([]);
    expect(parsed.cases.every((c) => validateJson(c, caseSchema).length === 0)).toBe(true);
    expect(parsed).toMatchObject({ dataset: 'refund-bot', version: (await openStore(root).readVersion('refund-bot')).manifest.version });
  });

  it('curates, then log and diff show what changed', async () => {
    const id = ids[0] as string;
    const v1 = (await openStore(root).readVersion('refund-bot')).manifest.version;
    expect(await run('expect', 'refund-bot', id.slice(0, 8), 'Your refund was sent.')).toMatch(new RegExp(`^refund-bot@[0-9a-f]{16} written \\(parent ${v1}\\): \\+1 -1 \\(case c_\\w+ → c_\\w+\\)\\n$`));
    const v2 = (await openStore(root).readVersion('refund-bot')).manifest.version;
    expect(await run('expect', 'refund-bot', 'c_', 'x').catch((e: unknown) => e)).toBeInstanceOf(NotFoundError);
    const latestId = (await openStore(root).readVersion('refund-bot')).cases.find((c) => c.expected)?.id as string;
    expect(await run('assert', 'refund-bot', latestId, '{"type":"contains","value":"refund"}')).toMatch(/refund-bot@[0-9a-f]{16} written/);
    await expect(run('assert', 'refund-bot', latestId, '{nope')).rejects.toThrow(UsageError);
    const tagged = await run('tag', 'refund-bot', ids[1] as string, 'billing', 'urgent');
    const v4 = /refund-bot@([0-9a-f]{16}) written/.exec(tagged)?.[1];
    const log = await run('log', 'refund-bot');
    const rows = log.split('\n').slice(1, 5).map((l) => l.trim().split(/\s+/));
    expect(rows.map((r) => r[0])).toEqual([`*refund-bot@${v4}`, expect.stringMatching(/^refund-bot@/), `refund-bot@${v2}`, `refund-bot@${v1}`]);
    expect(rows[3]?.[1]).toBe('-'); // the root has no parent
    expect(log).toContain('snapshot (INC-42)');
    const diff = JSON.parse(await run('diff', `refund-bot@${v1}`, 'latest', '--json')) as { changed: Array<{ traceId: string }>; added: unknown[]; removed: unknown[] };
    expect(diff.changed.map((c) => c.traceId).sort()).toEqual(['trace-a', 'trace-b']);
    expect([diff.added, diff.removed]).toEqual([[], []]);
    expect(await run('diff', `refund-bot@${v1}`, v2.slice(0, 10))).toMatch(new RegExp(`^refund-bot@${v1} → refund-bot@${v2}: \\+0 added, -0 removed, ~1 changed, 1 unchanged\\n~ c_`));
    const first = (await openStore(root).readVersion('refund-bot')).cases[0]?.id as string;
    expect(await run('rm', 'refund-bot', first)).toMatch(new RegExp(`^refund-bot@[0-9a-f]{16} written \\(parent ${v4}\\): \\+0 -1 \\(removed ${first}\\)\\n$`));
  });

  it('verify passes, then fails with exit code 1 after tampering', async () => {
    expect(await run('verify')).toMatch(/^ok\s+refund-bot: 1 version\(s\), 2 case file\(s\), 0 problem/);
    expect(process.exitCode).toBeUndefined();
    const file = join(root, 'refund-bot', 'cases', `${ids[0]}.json`);
    await writeFile(file, (await readFile(file, 'utf8')).replace('"latencyMs": 812', '"latencyMs": 1'));
    const out = await run('verify', 'refund-bot');
    expect(out).toMatch(/^FAIL\s+refund-bot/);
    expect(out).toContain(`problem  ${file}: case file was modified`);
    expect(process.exitCode).toBe(1);
  });

  it('scan exits 1 when unredacted values remain and names where', async () => {
    expect(await run('scan')).toMatch(/^no sensitive values found in 2 case file\(s\)/);
    await openStore(root).writeVersion('raw', { add: [makeCase('t', 'mail jo@example.com')], provenance: { source: 'snapshot' }, redact: false });
    const out = await run('scan', 'raw');
    expect(out).toMatch(/^2 sensitive value\(s\) in 1 of 1 case file\(s\):\nKIND/);
    expect(out).toContain('input.query');
    expect(out).not.toContain('jo@example.com');
    expect(process.exitCode).toBe(1);
  });

  it('imports CSV and exports JSONL in both shapes', async () => {
    const csv = join(root, '..', 'faq.csv');
    await writeFile(csv, 'input,expected,tags\nWhat are your hours?,9 to 5,faq\n');
    expect(await run('import', 'faq', csv, '--description', 'FAQ')).toMatch(/^faq@[0-9a-f]{16} written \(parent none\): \+1 -0 from 1 row\(s\)\n$/);
    expect(await run('import', 'faq', csv)).toMatch(/^faq@[0-9a-f]{16}: nothing changed \(1 case\(s\) already present\); no new version\n$/);
    const lf = JSON.parse(await run('export', 'faq', '--shape', 'langfuse')) as Record<string, unknown>;
    expect(lf).toMatchObject({ expectedOutput: '9 to 5', metadata: { tags: ['faq'], source: 'import' } });
    const outFile = join(root, '..', 'export.jsonl');
    const v1 = (await openStore(root).readVersion('refund-bot')).manifest.version;
    expect(await run('export', `refund-bot@${v1}`, '-o', outFile)).toBe(`refund-bot@${v1}: 2 case(s) written to ${outFile} (evals)\n`);
    expect((await readFile(outFile, 'utf8')).trim().split('\n')).toHaveLength(2);
    await expect(run('export', 'faq', '--shape', 'csv')).rejects.toThrow(/Allowed choices are evals, langfuse/);
  });

  it('every subcommand has a description and an example', () => {
    const cmd = datasetsCommand({ write: () => undefined });
    const names = cmd.commands.map((c) => c.name());
    expect(names).toEqual(['list', 'show', 'log', 'diff', 'verify', 'scan', 'expect', 'assert', 'tag', 'rm', 'resolve', 'migrate', 'import', 'export']);
    for (const sub of cmd.commands) {
      let help = '';
      sub.configureOutput({ writeOut: (t) => void (help += t) });
      sub.outputHelp();
      expect(sub.description(), sub.name()).not.toBe('');
      expect(help, sub.name()).toMatch(/Examples?:\n\s+evals datasets /);
    }
  });

  it('errors on unknown datasets with the known ones listed', async () => {
    await expect(run('show', 'nope')).rejects.toThrow(/dataset "nope" not found[\s\S]*known datasets: refund-bot/);
    expect(await readdir(root)).toEqual(['refund-bot']);
  });
});
