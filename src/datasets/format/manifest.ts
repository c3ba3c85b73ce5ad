/**
 * The dataset files and their hashes: `dataset.yaml` (name, latest version, redaction salt),
 * `versions/vNNNN.yaml` (immutable manifest of one version) and `cases/<id>.json`. Pure: text in,
 * objects out, every file validated against the published schema with errors naming file and field.
 */
import { assertJsonDepth } from '../../input-limits.js';
import { hash } from 'node:crypto';
import { isScalar, LineCounter, parseDocument, stringify, visit } from 'yaml';
import { InputError } from '../../errors.js';
import { canonicalJson } from '../case.js';
import type { Case, RedactionCounts } from '../case.js';
import { validateJson } from './json-schema.js';
import type { JsonSchema } from './json-schema.js';
import { caseSchema, datasetSchema, versionSchema } from './schemas.js';

/** `dataset.yaml`: one per dataset; only `latest` changes after creation. */
export interface DatasetMeta {
  name: string;
  description?: string;
  /** Number of the newest version; 0 while the dataset has none. */
  latest: number;
  /** ISO time the dataset was created. */
  created: string;
  /** Key for deterministic placeholders; see redact.ts. Not a secret from repo readers. */
  redaction: { scheme: 'hmac-sha256'; salt: string };
}

/** Where a version's changes came from. Counts by kind only, never redacted values. */
export interface VersionProvenance {
  /** `snapshot`, `import`, `curate`, `remove`… */
  source: string;
  traceIds: string[];
  incident?: string;
  note?: string;
  /** ISO time the version was written. */
  time: string;
  toolVersion: string;
  /** What redaction replaced while writing this version's added cases, by kind. */
  redaction: RedactionCounts;
}

/** `versions/vNNNN.yaml`: written once, never edited. */
export interface VersionManifest {
  version: number;
  /** Previous version, `null` for the first. */
  parent: number | null;
  created: string;
  /** `sha256:` + hex over the sorted `<case id> <file sha256>` lines; see {@link contentHash}. */
  hash: string;
  provenance: VersionProvenance;
  /** Ids added and removed relative to the parent. */
  changes: { added: string[]; removed: string[] };
  /** Case id → SHA-256 hex of the case file's bytes, sorted by id. */
  cases: Record<string, string>;
}

/** SHA-256 hex of a file's bytes. */
export function sha256Hex(data: string | Uint8Array): string {
  return hash('sha256', data, 'hex');
}

/** The version hash: SHA-256 over one `<id> <file hash>\n` line per case, ids sorted. */
export function contentHash(cases: Record<string, string>): string {
  const lines = Object.keys(cases)
    .sort()
    .map((id) => `${id} ${cases[id]}\n`)
    .join('');
  return `sha256:${sha256Hex(lines)}`;
}

/** File name of a version manifest: `v0001.yaml` (grows past four digits when needed). */
export function versionFileName(version: number): string {
  return `v${String(version).padStart(4, '0')}.yaml`;
}

const CASE_KEY_ORDER = ['schema', 'id', 'input', 'context', 'recorded', 'expected', 'labels', 'provenance'];

/** Pretty JSON of a case: fixed top-level order, nested keys sorted, trailing newline. */
export function renderCaseFile(c: Case): string {
  const sorted = JSON.parse(canonicalJson(c)) as Record<string, unknown>;
  const ordered: Record<string, unknown> = {};
  for (const key of CASE_KEY_ORDER) if (key in sorted) ordered[key] = sorted[key];
  for (const key of Object.keys(sorted)) if (!(key in ordered)) ordered[key] = sorted[key];
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

/** `dataset.yaml` text with keys in a fixed order. */
export function renderDatasetMeta(meta: DatasetMeta): string {
  const out: Record<string, unknown> = { name: meta.name };
  if (meta.description !== undefined) out.description = meta.description;
  out.latest = meta.latest;
  out.created = meta.created;
  out.redaction = { scheme: meta.redaction.scheme, salt: meta.redaction.salt };
  return stringify(out, { lineWidth: 0 });
}

/** `versions/vNNNN.yaml` text; case ids sorted so a new version diffs line by line. */
export function renderVersion(m: VersionManifest): string {
  const p = m.provenance;
  const provenance: Record<string, unknown> = { source: p.source, traceIds: [...p.traceIds].sort() };
  if (p.incident !== undefined) provenance.incident = p.incident;
  if (p.note !== undefined) provenance.note = p.note;
  Object.assign(provenance, { time: p.time, toolVersion: p.toolVersion, redaction: sortRecord(p.redaction) });
  const out = {
    version: m.version,
    parent: m.parent,
    created: m.created,
    hash: m.hash,
    provenance,
    changes: { added: [...m.changes.added].sort(), removed: [...m.changes.removed].sort() },
    cases: sortRecord(m.cases),
  };
  return stringify(out, { lineWidth: 0 });
}

function sortRecord<T>(r: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.keys(r).sort().map((k) => [k, r[k] as T]));
}

/** Parses YAML with errors naming file and line; duplicate keys are an error. */
export function parseYamlFile(text: string, file: string): unknown {
  // yaml's own duplicate-key check is quadratic in the size of a map, and a version file maps
  // every case id: 10,000 cases took seconds. The check below is linear.
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: false, lineCounter });
  const first = doc.errors[0];
  if (first !== undefined) {
    throw new InputError('invalid YAML', { file, line: first.linePos?.[0].line, expected: 'a YAML mapping', found: first.message.split('\n')[0] });
  }
  visit(doc, {
    Map(_key, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        if (seen.has(key)) {
          const at = isScalar(pair.key) && pair.key.range ? lineCounter.linePos(pair.key.range[0]).line : undefined;
          throw new InputError('duplicate key', { file, ...(at !== undefined ? { line: at } : {}), expected: 'each key once', found: JSON.stringify(key) });
        }
        seen.add(key);
      }
    },
  });
  return doc.toJS() as unknown;
}

/** Throws InputError naming file and the first failing field. */
export function assertSchema(value: unknown, schema: JsonSchema, file: string, what: string): void {
  const problems = validateJson(value, schema);
  const first = problems[0];
  if (first === undefined) return;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
  throw new InputError(`not a valid ${what}${more}`, { file, field: first.field, expected: first.expected, found: first.found });
}

/** Parses and validates `dataset.yaml`. Throws InputError naming the file and field. */
export function parseDatasetMeta(text: string, file: string): DatasetMeta {
  const value = parseYamlFile(text, file);
  assertSchema(value, datasetSchema, file, 'dataset.yaml');
  return value as DatasetMeta;
}

/** Parses and validates a version manifest. Throws InputError naming the file and field. */
export function parseVersion(text: string, file: string): VersionManifest {
  const value = parseYamlFile(text, file);
  assertSchema(value, versionSchema, file, 'version manifest');
  const m = value as VersionManifest;
  m.cases ??= {};
  return m;
}

/** Parses and validates a case file (JSON). Throws InputError naming the file and field. */
export function parseCaseFile(text: string, file: string): Case {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new InputError('invalid JSON', { file, expected: 'a JSON object (evals.case/v1)', found: (err as Error).message });
  }
  // A dataset from someone else is untrusted input: hostile nesting is an error, not a crash.
  assertJsonDepth(value, { file });
  assertSchema(value, caseSchema, file, 'case');
  return value as Case;
}

/** Validates an in-memory case (e.g. from an import) and names `where` in the error. */
export function assertCase(value: unknown, where: string, line?: number): asserts value is Case {
  const problems = validateJson(value, caseSchema);
  const first = problems[0];
  if (first !== undefined) throw new InputError('not a valid case', { file: where, line, field: first.field, expected: first.expected, found: first.found });
}
