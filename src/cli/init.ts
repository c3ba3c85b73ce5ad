/**
 * `evals init`: writes a commented evals.config.yaml, an example evaluator, datasets/README.md
 * and the GitHub workflows (PR check, harvest) into a project. Never overwrites: a file that
 * exists is kept and reported. Asks before writing on a terminal; `--yes` skips the question
 * (and is required when standard input is not a terminal). What it writes: init-files.ts.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { fileURLToPath } from 'node:url';
import { RunError, UsageError } from '../errors.js';
import { assertDatasetName } from '../datasets/storage/dataset-io.js';
import { datasetNameFrom, detectSource, initFiles, type InitFile } from './init-files.js';

export interface InitOptions {
  yes?: boolean;
  dataset?: string;
  source?: string;
  dir?: string;
}

/** The package's examples/github, next to dist/ (installed) or src/ (this repository). */
const WORKFLOWS_DIR = fileURLToPath(new URL('../../examples/github/', import.meta.url));

export async function initCommand(opts: InitOptions, cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const root = path.resolve(cwd, opts.dir ?? '.');
  const dataset = opts.dataset ?? datasetNameFrom(path.basename(root));
  assertDatasetName(dataset);
  const source = detectSource(env, (p) => existsSync(path.join(root, p)), opts.source);
  const files = initFiles({ dataset, ...(source ? { source } : {}) }, readWorkflows());
  const todo = files.filter((f) => !existsSync(path.join(root, f.path)));
  const kept = files.filter((f) => !todo.includes(f));
  const out = process.stdout;
  const rel = path.relative(cwd, root) || '.';
  out.write(`evals init in ${rel}: dataset "${dataset}", trace source ${source ? `${source.input} (${source.because})` : 'none found (the config says where to put one)'}\n`);
  for (const f of kept) out.write(`  exists, kept  ${f.path}\n`);
  if (todo.length === 0) {
    out.write('nothing to write: every file exists\n');
    return;
  }
  for (const f of todo) out.write(`  will write    ${f.path}\n`);
  if (!opts.yes && !(await confirm())) {
    out.write('nothing written\n');
    return;
  }
  for (const f of todo) write(root, f);
  out.write(`wrote ${todo.length} file(s). Next:\n  npx evals snapshot ${source?.input ?? 'otel/traces.jsonl'} --dataset ${dataset} --flagged --since 7d\n  npx evals run\n`);
}

async function confirm(): Promise<boolean> {
  if (!process.stdin.isTTY) {
    throw new UsageError('evals init asks before writing, and standard input is not a terminal', { expected: '--yes to write the files listed above', found: 'no terminal to ask on' });
  }
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^(y|yes|)$/i.test((await rl.question('Write these files? [Y/n] ')).trim());
  } finally {
    rl.close();
  }
}

function readWorkflows(): { pr: string; harvest: string } {
  try {
    return { pr: readFileSync(path.join(WORKFLOWS_DIR, 'evals-pr.yml'), 'utf8'), harvest: readFileSync(path.join(WORKFLOWS_DIR, 'evals-harvest.yml'), 'utf8') };
  } catch (err) {
    throw new RunError(`the package's workflow templates are missing: ${(err as Error).message}`, { file: WORKFLOWS_DIR, hint: 'reinstall @evals-dev/evals' });
  }
}

function write(root: string, f: InitFile): void {
  const file = path.join(root, f.path);
  mkdirSync(path.dirname(file), { recursive: true });
  // `wx`: never overwrite, even a file that appeared since the check above.
  writeFileSync(file, f.text, { flag: 'wx' });
}
