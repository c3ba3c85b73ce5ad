/**
 * `evals datasets scan`: looks through every stored case file for sensitive values that
 * redaction did not replace (written with redaction off, or a kind added since), and through
 * every other file of the dataset (manifests, version files with their notes and incident ids).
 * Reports masked excerpts only.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { datasetDir, listDatasetNames } from '../storage/dataset-io.js';
import { scanValue } from './redact.js';
import type { RedactOptions } from './redact.js';

/** One value found in a case file. */
export interface StoredFinding {
  dataset: string;
  file: string;
  /** Dotted path inside the case (`input.messages.0.content`). */
  path: string;
  kind: string;
  masked: string;
}

/** Result of {@link scanDataset}; `ok` is false when anything was found. */
export interface ScanReport {
  ok: boolean;
  filesScanned: number;
  findings: StoredFinding[];
}

/** Scans dataset `name`, or every dataset under `root`. */
export async function scanDataset(root: string, name?: string, opts: Pick<RedactOptions, 'patterns' | 'disable'> = {}): Promise<ScanReport> {
  const names = name !== undefined ? [name] : await listDatasetNames(root);
  const findings: StoredFinding[] = [];
  let filesScanned = 0;
  for (const n of names) {
    const dir = join(datasetDir(root, n), 'cases');
    const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.json') && !f.startsWith('.')).sort();
    for (const f of files) {
      const file = join(dir, f);
      filesScanned++;
      let value: unknown;
      try {
        value = JSON.parse(await readFile(file, 'utf8'));
      } catch {
        continue; // not JSON: `verify` reports it
      }
      for (const hit of scanValue(value, opts)) findings.push({ dataset: n, file, ...hit });
    }
    // Manifests are scanned too (notes, incident ids), but `filesScanned` counts case files.
    for (const file of await metadataFiles(datasetDir(root, n))) {
      const text = await readFile(file, 'utf8').catch(() => '');
      let value: unknown;
      try {
        value = parseYaml(text, { maxAliasCount: 100 }) as unknown;
      } catch {
        value = text; // not YAML/JSON: scan it as text
      }
      for (const hit of scanValue(value, opts)) if (!SALT_PATH.test(hit.path)) findings.push({ dataset: n, file, ...hit });
    }
  }
  return { ok: findings.length === 0, filesScanned, findings };
}

/** The dataset's redaction salt is a key by design; it never leaves the dataset. */
const SALT_PATH = /(^|\.)redaction\.salt$/;

/** Every YAML/JSON file of a dataset outside `cases/` (manifests, versions), layout-agnostic. */
async function metadataFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    if (!e.isFile() || e.name.startsWith('.') || !/\.(ya?ml|json)$/.test(e.name)) continue;
    const file = join(e.parentPath, e.name);
    if (relative(dir, file).split(/[\\/]/)[0] === 'cases') continue;
    out.push(file);
  }
  return out.sort();
}
