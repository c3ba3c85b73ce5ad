/**
 * Format sniffing from file content: only the first bytes / first line are read, so huge files
 * are cheap to detect. `--format` (the `forced` argument) always wins.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { InputError, excerpt } from '../../errors.js';

/** File formats that can be detected from content. */
export const FILE_FORMATS = ['otlp-json', 'otlp-json-logs', 'langfuse-export', 'langsmith-runs'] as const;
/** A detected or forced file format. */
export type FileFormat = (typeof FILE_FORMATS)[number];

/** Names accepted by `--format`, with aliases mapped to the canonical id. */
export const FORMAT_ALIASES: Record<string, FileFormat> = {
  'otlp-json': 'otlp-json', otlp: 'otlp-json', 'otlp-json-logs': 'otlp-json-logs', 'otlp-logs': 'otlp-json-logs',
  'langfuse-export': 'langfuse-export', langfuse: 'langfuse-export', 'langsmith-runs': 'langsmith-runs', langsmith: 'langsmith-runs',
};

/** Bytes read to sniff a file. */
const SNIFF_BYTES = 64 * 1024;

/**
 * Decides the format of a text prefix (pure). Looks at the keys of the first record, so a
 * pretty-printed document or an array is recognised from its first kilobytes too.
 */
export function detectFormatFromText(head: string): FileFormat | undefined {
  const firstLine = head.split('\n').find((l) => l.trim() !== '')?.trim() ?? '';
  let keys: string[] | undefined;
  try {
    const v: unknown = JSON.parse(firstLine);
    const rec = Array.isArray(v) ? v[0] : v;
    if (typeof rec === 'object' && rec !== null) keys = Object.keys(rec);
  } catch {
    // Pretty-printed or cut-off: fall back to looking for the distinctive keys in the text.
  }
  const has = (k: string): boolean => (keys ? keys.includes(k) : head.includes(`"${k}"`));
  if (has('resourceSpans') || has('batches')) return 'otlp-json';
  if (has('resourceLogs')) return 'otlp-json-logs';
  if (has('observations') || (has('trace') && !has('run_type'))) return 'langfuse-export';
  if (has('run_type') || has('dotted_order') || (has('run_id') && has('key'))) return 'langsmith-runs';
  return undefined;
}

/** Resolves a `--format` value; unknown names throw an InputError listing the accepted ones. */
export function resolveFormat(name: string, file: string): FileFormat {
  const f = FORMAT_ALIASES[name.toLowerCase()];
  if (!f) {
    throw new InputError(`unknown trace format "${name}"`, {
      file, field: 'format', expected: `one of ${Object.keys(FORMAT_ALIASES).join(', ')}`, found: excerpt(name),
    });
  }
  return f;
}

/**
 * Reads the start of `path` and detects its format; throws InputError when nothing matches.
 * Synchronous on purpose: it reads at most 64 KiB, and keeps `openSource` synchronous.
 */
export function detectFileFormat(path: string): FileFormat {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new InputError(e.code === 'ENOENT' ? 'file not found' : `cannot read file: ${e.message}`, { file: path, cause: err });
  }
  let head: string;
  try {
    const buf = Buffer.alloc(SNIFF_BYTES);
    const bytesRead = readSync(fd, buf, 0, SNIFF_BYTES, 0);
    head = buf.subarray(0, bytesRead).toString('utf8').replace(/^\uFEFF/, '');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new InputError(e.code === 'EISDIR' ? 'is a directory' : `cannot read file: ${e.message}`, { file: path, expected: 'a trace file (the CLI also takes a directory of them)', cause: err });
  } finally {
    closeSync(fd);
  }
  if (head.trim() === '') throw new InputError('the trace file is empty', { file: path, expected: `one of ${FILE_FORMATS.join(', ')}`, found: 'no content' });
  const format = detectFormatFromText(head);
  if (!format) {
    throw new InputError('cannot tell the trace format from the content', {
      file: path,
      line: 1,
      expected: `one of ${FILE_FORMATS.join(', ')} (or pass --format)`,
      ...(head.includes('\u0000') || head.includes('\uFFFD') ? { hint: 'binary data such as OTLP protobuf is not supported: export OTLP JSON' } : {}),
      found: excerpt(head.split('\n')[0] ?? '', 120),
    });
  }
  return format;
}
