/**
 * `evals datasets …`: list, show, log, diff, verify and scan datasets; curate cases (expect,
 * assert, tag, rm); import hand-written cases and export versions. Thin: parses arguments,
 * calls the dataset store, prints a table (or `--json`, shapes documented in schemas/).
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Command, Option } from 'commander';
import { UsageError } from '../../errors.js';
import { datasetsRoot, loadOptionalConfig } from '../shared.js';
import type { AssertionConfig } from '../../datasets/case.js';
import { exportShapes } from '../../datasets/exchange/export-cases.js';
import type { ExportShape } from '../../datasets/exchange/export-cases.js';
import { renderDiff, renderList, renderLog, renderScan, renderShow, renderVerify, renderWrite } from '../../datasets/render-text.js';
import { openStore, parseRef } from '../../datasets/store.js';
import type { DatasetStore, VersionSelector } from '../../datasets/store.js';
import type { CurateResult } from '../../datasets/curation/curate.js';

/** Where the command prints; tests pass a collector. Default process.stdout. */
export interface DatasetsIo {
  write(text: string): void;
}

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/** Parses `<b>` of `diff`: a full ref, or just `N` / `latest` meaning the same dataset as `<a>`. */
function diffSide(name: string, arg: string): VersionSelector {
  if (!arg.includes('@')) return parseRef(`${name}@${arg}`).version;
  const r = parseRef(arg);
  if (r.name !== name) throw new UsageError('diff compares two versions of one dataset', { field: 'b', expected: `${name}@N`, found: arg });
  return r.version;
}

function parseAssertion(text: string): AssertionConfig {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new UsageError('the assertion is not valid JSON', { field: 'json-assertion', expected: `JSON such as '{"type":"contains","value":"refund"}'`, found: (err as Error).message });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value) || typeof (value as AssertionConfig).type !== 'string') {
    throw new UsageError('the assertion must be an object with a "type"', { field: 'json-assertion', expected: '{"type": "...", ...options}', found: text });
  }
  return value as AssertionConfig;
}

function parseChoice(text: string): { caseId: string; take: string } {
  const eq = text.indexOf('=');
  if (eq <= 0 || eq === text.length - 1) throw new UsageError('a choice is <case>=<what to keep>', { field: 'choices', expected: 'c_3f9a=c_77b1 (candidate case), c_3f9a=<head version id> or c_3f9a=removed; or one <case> with --take', found: text });
  return { caseId: text.slice(0, eq), take: text.slice(eq + 1) };
}

function curated(r: CurateResult): string {
  return renderWrite(r, r.newId !== undefined && r.newId !== r.oldId ? ` (case ${r.oldId} → ${r.newId})` : r.newId === undefined ? ` (removed ${r.oldId})` : '');
}

/**
 * Builds the `datasets` command. `--root` applies to every subcommand; its default is
 * `$EVALS_DATASETS_DIR`, else the config's `datasetsDir`, else `datasets` (cli/shared.ts).
 */
export function datasetsCommand(io: DatasetsIo = process.stdout): Command {
  const cmd = new Command('datasets')
    .description('Inspect, verify, curate and merge versioned datasets (datasets/<name>/: cases/, versions/)')
    .option('--root <dir>', 'datasets directory (default: $EVALS_DATASETS_DIR, else the config\'s datasetsDir, else datasets)')
    .addHelpText('after', '\nExamples:\n  evals datasets list\n  evals datasets show refund-bot@3\n  evals datasets verify');
  let root: string | undefined;
  cmd.hook('preAction', async () => {
    root = await configuredRoot(cmd.opts<{ root?: string }>().root);
  });
  const store = (): DatasetStore => openStore(root ?? datasetsRoot(cmd.opts<{ root?: string }>().root, undefined));
  const out = (text: string): void => io.write(text);

  cmd
    .command('list')
    .description('List datasets with their latest version, case count and hash')
    .option('--json', 'print DatasetSummary[] as JSON')
    .addHelpText('after', '\nExample:\n  evals datasets list --root test/datasets')
    .action(async (o: { json?: boolean }) => {
      const rows = await store().listDatasets();
      out(o.json ? json(rows) : renderList(rows));
    });

  cmd
    .command('show')
    .description('Show the cases of one state (name, name@latest, name@<hash prefix>, or name@N of 0.1); exit 1 on merge conflicts')
    .argument('<ref>', 'dataset reference, e.g. refund-bot@3f9a2c')
    .option('--json', 'print { dataset, version, hash, cases } (schemas/datasets-show.schema.json)')
    .addHelpText('after', '\nExamples:\n  evals datasets show refund-bot\n  evals datasets show refund-bot@2 --json | jq ".cases[].id"')
    .action(async (ref: string, o: { json?: boolean }) => {
      const v = await store().readRef(ref, { allowConflicts: true });
      const m = v.manifest;
      out(o.json ? json({ dataset: v.meta.name, version: m.version, ...(m.number !== undefined ? { number: m.number } : {}), hash: m.hash, cases: v.cases }) : renderShow(v));
      if (m.conflicts.length > 0) process.exitCode = 1;
    });

  cmd
    .command('log')
    .description('List the versions of a dataset, newest first, with what each changed and why')
    .argument('<name>', 'dataset name')
    .option('--json', 'print LogEntry[] as JSON')
    .addHelpText('after', '\nExample:\n  evals datasets log refund-bot')
    .action(async (name: string, o: { json?: boolean }) => {
      const entries = await store().logDataset(parseRef(name).name);
      out(o.json ? json(entries) : renderLog(name, entries));
    });

  cmd
    .command('diff')
    .description('Compare two versions: cases added, removed and changed (same trace, new content)')
    .argument('<a>', 'older version, e.g. refund-bot@2')
    .argument('<b>', 'newer version: a ref, or N / latest of the same dataset')
    .option('--json', 'print { dataset, from, to, added, removed, changed, unchanged } as JSON')
    .addHelpText('after', '\nExamples:\n  evals datasets diff refund-bot@2 refund-bot@3\n  evals datasets diff refund-bot@1 latest')
    .action(async (a: string, b: string, o: { json?: boolean }) => {
      const ra = parseRef(a);
      const d = await store().diffVersions(ra.name, ra.version, diffSide(ra.name, b));
      out(o.json ? json(d) : renderDiff(d));
    });

  cmd
    .command('verify')
    .description('Recompute every hash (case files, manifests, parent chain); exit 1 on any problem')
    .argument('[name]', 'dataset name (default: all)')
    .option('--json', 'print the VerifyReport as JSON')
    .addHelpText('after', '\nExample:\n  evals datasets verify            # in CI, before the suite runs')
    .action(async (name: string | undefined, o: { json?: boolean }) => {
      const r = await store().verifyDataset(name === undefined ? undefined : parseRef(name).name);
      out(o.json ? json(r) : renderVerify(r));
      if (!r.ok) process.exitCode = 1;
    });

  cmd
    .command('scan')
    .description('Look for e-mails, phone numbers, cards, IBANs, IPs and secrets left in case files; exit 1 if any')
    .argument('[name]', 'dataset name (default: all)')
    .option('--json', 'print the ScanReport as JSON (values masked)')
    .addHelpText('after', '\nExample:\n  evals datasets scan refund-bot')
    .action(async (name: string | undefined, o: { json?: boolean }) => {
      const r = await store().scanDataset(name === undefined ? undefined : parseRef(name).name);
      out(o.json ? json(r) : renderScan(r));
      if (!r.ok) process.exitCode = 1;
    });

  cmd
    .command('expect')
    .description('Set the expected (reference) output of a case; writes a new case file and version')
    .argument('<ref>', 'dataset (its latest version is changed)')
    .argument('<case-id>', 'case id or a unique prefix (4+ characters)')
    .argument('<output>', 'the reference output')
    .option('--no-redact', 'store the output without redaction (explicit opt-in)')
    .addHelpText('after', '\nExample:\n  evals datasets expect refund-bot c_3f9a "Your refund of $40 was sent on May 2."')
    .action(async (ref: string, id: string, output: string, o: { redact: boolean }) => {
      out(curated(await store().setExpected(ref, id, output, o.redact ? {} : { redact: false })));
    });

  cmd
    .command('assert')
    .description('Add a per-case assertion (same syntax as suite evaluators); writes a new version')
    .argument('<ref>', 'dataset (its latest version is changed)')
    .argument('<case-id>', 'case id or a unique prefix')
    .argument('<json-assertion>', 'the assertion as JSON')
    .addHelpText('after', `\nExample:\n  evals datasets assert refund-bot c_3f9a '{"type":"contains","value":"refund"}'`)
    .action(async (ref: string, id: string, text: string) => {
      const assertion = parseAssertion(text);
      await checkAssertion(assertion);
      out(curated(await store().addAssertion(ref, id, assertion)));
    });

  cmd
    .command('tag')
    .description('Add tags to a case; writes a new version')
    .argument('<ref>', 'dataset (its latest version is changed)')
    .argument('<case-id>', 'case id or a unique prefix')
    .argument('<tags...>', 'tags to add')
    .addHelpText('after', '\nExample:\n  evals datasets tag refund-bot c_3f9a must-not-regress billing')
    .action(async (ref: string, id: string, tags: string[]) => {
      out(curated(await store().addTags(ref, id, tags)));
    });

  cmd
    .command('rm')
    .description('Remove a case from the next version (older versions keep it)')
    .argument('<ref>', 'dataset (its latest version is changed)')
    .argument('<case-id>', 'case id or a unique prefix')
    .addHelpText('after', '\nExample:\n  evals datasets rm refund-bot c_3f9a')
    .action(async (ref: string, id: string) => {
      out(curated(await store().removeCase(ref, id)));
    });

  cmd
    .command('resolve')
    .description('Settle merge conflicts (a case curated differently on two branches) in one version joining all heads')
    .argument('<name>', 'dataset')
    .argument('<choices...>', '<case> with --take, or <case>=<choice> pairs (one per conflict)')
    .option('--take <choice>', 'for a single <case>: the candidate case id to keep, a head version id, or "removed"')
    .option('--note <text>', 'recorded in the version')
    .addHelpText('after', '\nExamples:\n  evals datasets resolve refund-bot c_3f9a --take c_77b1\n  evals datasets resolve refund-bot c_3f9a=c_77b1 c_0b1d=removed')
    .action(async (name: string, choices: string[], o: { take?: string; note?: string }) => {
      const pairs = o.take !== undefined && choices.length === 1 ? [{ caseId: choices[0] as string, take: o.take }] : choices.map(parseChoice);
      const r = await store().resolveConflicts(parseRef(name).name, pairs, o.note !== undefined ? { note: o.note } : {});
      out(renderWrite(r, `; ${r.settled.map((s) => `${s.caseId}: kept ${s.kept ?? 'removal'}`).join(', ')}`));
    });

  cmd
    .command('migrate')
    .description('Rewrite datasets written by evals 0.1 (numbered versions) in the mergeable layout; name@N keeps working')
    .argument('[name]', 'dataset name (default: all)')
    .addHelpText('after', '\nExample:\n  evals datasets migrate && git add datasets && git commit -m "datasets: mergeable layout"')
    .action(async (name: string | undefined) => {
      for (const r of await store().migrate(name === undefined ? undefined : parseRef(name).name)) out(`${r.dataset}: ${r.migrated ? `migrated, ${r.versions} version(s)` : 'already in the mergeable layout'}\n`);
    });

  cmd
    .command('import')
    .description('Import hand-written cases from JSONL or CSV (columns: input, expected, tags, assertions, incident, note; others become variables)')
    .argument('<name>', 'dataset (created if missing)')
    .argument('<file>', '.jsonl, .ndjson or .csv file')
    .option('--description <text>', 'description, when the dataset is created')
    .option('--no-redact', 'store the cases without redaction (explicit opt-in)')
    .addHelpText('after', '\nExamples:\n  evals datasets import faq cases.csv\n  evals datasets import faq cases.jsonl --description "FAQ answers"')
    .action(async (name: string, file: string, o: { description?: string; redact: boolean }) => {
      const r = await store().importCases(parseRef(name).name, file, { ...(o.description !== undefined ? { description: o.description } : {}), ...(o.redact ? {} : { redact: false as const }) });
      out(renderWrite(r, ` from ${r.read} row(s)`));
    });

  cmd
    .command('export')
    .description('Export a version as JSONL: our case shape, or Langfuse dataset items')
    .argument('<ref>', 'dataset reference, e.g. refund-bot@3')
    .addOption(new Option('--shape <shape>', 'line shape').choices(exportShapes).default('evals'))
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .addHelpText('after', '\nExamples:\n  evals datasets export refund-bot@3 -o refund-bot-v3.jsonl\n  evals datasets export refund-bot --shape langfuse > items.jsonl')
    .action(async (ref: string, o: { shape: ExportShape; output?: string }) => {
      const r = await store().exportVersion(ref, o.shape);
      if (o.output === undefined) return out(r.text);
      try {
        await writeFile(o.output, r.text);
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        throw new UsageError('cannot write the export file', { file: o.output, field: '--output', expected: 'a writable file path in an existing directory', found: e.code === 'ENOENT' ? 'the directory does not exist' : e.code === 'EISDIR' ? 'a directory' : e.message });
      }
      out(`${r.dataset}@${r.version}: ${r.count} case(s) written to ${o.output} (${o.shape})\n`);
    });

  // Like the main program: commander errors (missing argument, --help) throw instead of exiting,
  // so main() maps them to exit codes; subcommands copy this setting only when set on each.
  for (const sub of cmd.commands) sub.exitOverride();
  return cmd;
}

/** The datasets root, reading `datasetsDir` from the config when there is one (a broken config only warns). */
async function configuredRoot(flag: string | undefined): Promise<string> {
  if (flag !== undefined || process.env.EVALS_DATASETS_DIR) return datasetsRoot(flag, undefined);
  try {
    const { config, dir } = await loadOptionalConfig();
    return datasetsRoot(undefined, config.datasetsDir, dir);
  } catch (err) {
    process.stderr.write(`evals: warning: could not read datasetsDir from the config, using ./datasets (${(err as Error).message.split('\n')[0]})\n`);
    return datasetsRoot(undefined, undefined);
  }
}

/** Builds the assertion's evaluator now, so a typo fails here (exit 2) and not at run time. */
async function checkAssertion(assertion: AssertionConfig): Promise<void> {
  const loaded = await loadOptionalConfig().catch(() => undefined);
  const dir = path.resolve(loaded?.dir ?? process.cwd(), loaded?.config.evaluatorsDir ?? 'evaluators');
  const [{ EvaluatorResolver }, { Fields }] = await Promise.all([import('../../evaluators/registry.js'), import('../../config/fields.js')]);
  const resolver = await EvaluatorResolver.create(dir);
  resolver.resolve(assertion, new Fields('json-assertion'), []);
}
