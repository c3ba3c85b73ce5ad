/**
 * Turns what the user typed into trace files a source can read: a directory is walked for
 * trace files (recursively, by extension), a glob the shell did not expand (`'traces/*.jsonl'`)
 * is expanded, `-` is standard input, and gzip files (by content) are decompressed. Stdin and
 * gzip land in a private temp directory, removed by `cleanup()`. Inputs a source cannot read
 * (OTLP protobuf, an empty file, a directory without trace files) are InputErrors that say so.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, open, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { glob, isDynamicPattern } from 'tinyglobby';
import { InputError } from '../../errors.js';

/** Extensions read from a directory (each also with `.gz`). */
export const TRACE_EXTENSIONS = ['.json', '.jsonl', '.ndjson'];
const PROTOBUF_EXTENSIONS = /\.(pb|binpb|proto|protobuf)(\.gz)?$/i;
const URL_INPUT = /^(langfuse|langsmith|tempo\+https?):\/\//;

/** Files ready to read, and the clean-up of any temp copies. */
export interface ResolvedInputs {
  files: string[];
  cleanup(): Promise<void>;
}

/** The hint every "not supported, export JSON" message gives. */
export const EXPORT_JSON_HINT =
  'export OTLP JSON instead: the Collector file exporter with `format: json`, or OTEL_EXPORTER_OTLP_PROTOCOL=http/json';

/** Resolves `inputs` (URLs pass through unchanged). `stdin` is injectable for tests. */
export async function resolveInputs(inputs: string[], stdin: Readable = process.stdin): Promise<ResolvedInputs> {
  let temp: string | undefined;
  const tempFile = async (name: string): Promise<string> => {
    temp ??= await mkdtemp(path.join(tmpdir(), 'evals-input-'));
    return path.join(temp, name);
  };
  const cleanup = async (): Promise<void> => {
    if (temp) await rm(temp, { recursive: true, force: true });
  };
  const files: string[] = [];
  try {
    for (const input of inputs) {
      if (URL_INPUT.test(input)) {
        files.push(input);
        continue;
      }
      if (input === '-') {
        const file = await tempFile(`stdin-${files.length}.jsonl`);
        await pipeline(stdin, createWriteStream(file));
        files.push(await readable(file, 'standard input (-)', tempFile));
        continue;
      }
      for (const file of await expand(input)) files.push(await readable(file, file, tempFile));
    }
  } catch (err) {
    await cleanup();
    throw err;
  }
  return { files, cleanup };
}

/** One input path → the files it names (a directory's trace files, a glob's matches, or itself). */
async function expand(input: string): Promise<string[]> {
  const s = await stat(input).catch(() => undefined);
  if (s?.isDirectory()) {
    const entries = await readdir(input, { recursive: true, withFileTypes: true });
    const found = entries
      .filter((e) => e.isFile() && !e.name.startsWith('.') && isTraceFile(e.name))
      .map((e) => path.join(e.parentPath, e.name))
      .sort();
    if (found.length === 0) {
      throw new InputError('the directory holds no trace files', { file: input, expected: `files ending ${TRACE_EXTENSIONS.join(', ')} (optionally .gz), searched recursively`, found: 'none' });
    }
    return found;
  }
  if (s === undefined && isDynamicPattern(input)) {
    const found = (await glob(input, { onlyFiles: true, dot: false, expandDirectories: false })).sort();
    if (found.length === 0) throw new InputError('no file matches the pattern', { file: input, expected: 'a glob matching trace files', found: 'no match' });
    return found;
  }
  if (s === undefined) throw new InputError('file not found', { file: input });
  if (!s.isFile()) throw new InputError('not a regular file', { file: input, expected: 'a trace file, a directory or a URL', found: 'a device, socket or pipe' });
  return [input];
}

function isTraceFile(name: string): boolean {
  const base = name.toLowerCase().replace(/\.gz$/, '');
  return TRACE_EXTENSIONS.some((ext) => base.endsWith(ext));
}

/** Checks a file can be read as JSON traces; gzip is decompressed into a temp file first. */
async function readable(file: string, shown: string, tempFile: (name: string) => Promise<string>): Promise<string> {
  if (PROTOBUF_EXTENSIONS.test(file)) throw protobufError(shown);
  const head = await readHead(file, 4096);
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) {
    const out = await tempFile(`${path.basename(file).replace(/\.gz$/i, '')}-${Date.now()}.jsonl`);
    try {
      await pipeline(createReadStream(file), createGunzip(), createWriteStream(out));
    } catch (err) {
      throw new InputError('cannot decompress the gzip file', { file: shown, expected: 'a complete gzip file of OTLP/JSON, Langfuse or LangSmith records', found: (err as Error).message, cause: err });
    }
    return readable(out, `${shown} (decompressed)`, tempFile);
  }
  const text = head.toString('utf8').replace(/^\uFEFF/, '');
  if (text.trim() === '') throw new InputError('the trace file is empty', { file: shown, expected: 'OTLP/JSON, Langfuse export or LangSmith runs records', found: head.length === 0 ? 'an empty file' : 'only whitespace' });
  // JSON text with a stray control byte is reported by the reader, with its line.
  if (!/^\s*[[{]/.test(text) && looksBinary(head)) throw protobufError(shown);
  return file;
}

async function readHead(file: string, bytes: number): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Binary content: NUL or other control bytes JSON text never holds. */
function looksBinary(head: Buffer): boolean {
  let control = 0;
  for (const b of head) if (b === 0 || (b < 0x09) || (b > 0x0d && b < 0x20)) control++;
  return control > 0;
}

function protobufError(file: string): InputError {
  return new InputError('binary trace data (OTLP protobuf?) is not supported', {
    file, expected: 'OTLP/JSON (or Langfuse / LangSmith JSON)', found: 'binary content', hint: EXPORT_JSON_HINT,
  });
}
