/**
 * Plain-text renderings of dataset views for the terminal: aligned tables, no colour, so they
 * read the same in a CI log. Pure functions of the library's result objects.
 */
import { caseTitle } from './case.js';
import type { Case } from './case.js';
import type { DatasetSummary, DatasetVersion, LogEntry, VersionDiff } from './storage/dataset-read.js';
import type { ScanReport } from './redaction/scan.js';
import type { VerifyReport } from './storage/verify.js';
import type { WriteResult } from './storage/write-version.js';
import { describeConflict } from './storage/conflicts.js';

/** Left-aligned columns separated by two spaces; the last column is not padded. */
export function renderTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

const short = (hash: string): string => (hash === '' ? '-' : hash.replace(/^sha256:/, '').slice(0, 12));

/** `evals datasets list`. */
export function renderList(rows: readonly DatasetSummary[]): string {
  if (rows.length === 0) return 'no datasets yet (create one with `evals snapshot` or `evals datasets import`)\n';
  return renderTable(
    ['NAME', 'LATEST', 'CASES', 'HASH', 'UPDATED', 'DESCRIPTION'],
    rows.map((r) => [
      r.name,
      r.latest === '' ? '-' : r.heads > 1 ? `merge of ${r.heads} heads${r.conflicts ? `, ${r.conflicts} conflict(s)` : ''}` : r.latest,
      String(r.cases),
      short(r.hash),
      r.updated?.slice(0, 19).replace('T', ' ') ?? '-',
      r.description ?? '',
    ]),
  );
}

function expectedLabel(c: Case): string {
  const parts: string[] = [];
  if (c.expected?.output !== undefined) parts.push('output');
  const n = c.expected?.assertions?.length ?? 0;
  if (n > 0) parts.push(`${n} assert`);
  return parts.join('+') || '-';
}

/** `evals datasets show`. */
export function renderShow(v: DatasetVersion): string {
  const m = v.manifest;
  const parents = m.node ? (m.node.parents.join(' + ') || 'none') : `heads ${m.heads.join(' + ')} (git merge, not yet recorded)`;
  const number = m.number !== undefined ? ` (0.1: @${m.number})` : '';
  let head = `${v.meta.name}@${m.version}${number}  ${m.hash}  ${v.cases.length} case(s)  parent ${parents}  created ${m.created}\n`;
  for (const c of m.conflicts) head += `CONFLICT ${describeConflict(v.meta.name, c)}\n`;
  if (v.cases.length === 0) return head;
  const rows = v.cases.map((c) => [
    c.id,
    c.provenance.traceId.length > 16 ? `${c.provenance.traceId.slice(0, 15)}…` : c.provenance.traceId,
    c.labels.incident ?? '',
    c.labels.tags.join(',') || '-',
    expectedLabel(c),
    caseTitle(c),
  ]);
  return head + '\n' + renderTable(['CASE', 'TRACE', 'INCIDENT', 'TAGS', 'EXPECTED', 'INPUT'], rows);
}

/** `evals datasets log`. */
export function renderLog(name: string, entries: readonly LogEntry[]): string {
  if (entries.length === 0) return `${name}: no versions yet\n`;
  const heads = entries.filter((e) => e.head);
  const foot = heads.length > 1 ? `\n${heads.length} heads (a git merge): ${name}@latest is their merge; the next write records it as a version with ${heads.length} parents\n` : '';
  return renderTable(
    ['VERSION', 'PARENTS', 'CREATED', 'CASES', 'CHANGE', 'SOURCE', 'HASH', 'NOTE'],
    entries.map((e) => [
      `${e.head ? '*' : ' '}${name}@${e.version}${e.number !== undefined ? ` (@${e.number})` : ''}`,
      e.parents.length === 0 ? '-' : e.parents.map((p) => p.slice(0, 8)).join('+'),
      e.created.slice(0, 19).replace('T', ' '),
      String(e.cases),
      `+${e.added.length} -${e.removed.length}`,
      e.provenance.source + (e.provenance.incident ? ` (${e.provenance.incident})` : ''),
      short(e.hash),
      e.provenance.note ?? '',
    ]),
  ) + foot;
}

/** `evals datasets diff`. */
export function renderDiff(d: VersionDiff): string {
  const lines = [`${d.dataset}@${d.from} → ${d.dataset}@${d.to}: +${d.added.length} added, -${d.removed.length} removed, ~${d.changed.length} changed, ${d.unchanged} unchanged`];
  for (const c of d.added) lines.push(`+ ${c.id}  ${c.traceId}  ${c.title}`);
  for (const c of d.removed) lines.push(`- ${c.id}  ${c.traceId}  ${c.title}`);
  for (const c of d.changed) lines.push(`~ ${c.from.id} → ${c.to.id}  ${c.traceId}  ${c.to.title}`);
  return lines.join('\n') + '\n';
}

/** `evals datasets verify`. */
export function renderVerify(r: VerifyReport): string {
  if (r.datasets.length === 0) return 'no datasets to verify\n';
  const lines: string[] = [];
  for (const d of r.datasets) {
    const heads = d.heads.length > 1 ? `, ${d.heads.length} heads (merged on read)` : '';
    lines.push(`${d.problems.length === 0 ? 'ok  ' : 'FAIL'}  ${d.dataset}: ${d.versions} version(s)${heads}, ${d.cases} case file(s), ${d.problems.length} problem(s), ${d.warnings.length} warning(s)`);
    for (const p of d.problems) lines.push(`  problem  ${p.file}: ${p.message.replace(/\n/g, '\n           ')}`);
    for (const w of d.warnings) lines.push(`  warning  ${w.file}: ${w.message}`);
  }
  return lines.join('\n') + '\n';
}

/** `evals datasets scan`. */
export function renderScan(r: ScanReport): string {
  if (r.ok) return `no sensitive values found in ${r.filesScanned} case file(s)\n`;
  const rows = r.findings.map((f) => [f.kind, f.file, f.path, f.masked]);
  return `${r.findings.length} sensitive value(s) in ${new Set(r.findings.map((f) => f.file)).size} of ${r.filesScanned} case file(s):\n` + renderTable(['KIND', 'FILE', 'FIELD', 'VALUE'], rows);
}

/** One line about a write: what changed, or that nothing did. */
export function renderWrite(r: WriteResult, detail = ''): string {
  const redacted = Object.entries(r.redaction).map(([k, n]) => `${k} ${n}`).join(', ');
  if (!r.created) return `${r.dataset}@${r.version}: nothing changed${r.alreadyPresent.length ? ` (${r.alreadyPresent.length} case(s) already present)` : ''}; no new version\n`;
  const parents = r.parents.length === 0 ? 'none' : r.parents.join(' + ');
  return `${r.migrated ? `${r.dataset}: migrated from the 0.1 layout\n` : ''}${r.dataset}@${r.version} written (parent ${parents}): +${r.added.length} -${r.removed.length}${detail}${redacted ? `; redacted: ${redacted}` : ''}\n`;
}
