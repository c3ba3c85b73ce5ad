/**
 * Opens the right `TraceSource` for what the user passed: files (format sniffed from content
 * or forced), `langfuse://`, `langsmith://<project>` or `tempo+http(s)://host:port`.
 */
import { ConfigError, InputError } from '../../errors.js';
import { registerSecret } from '../../secrets/scrub.js';
import { detectFileFormat, resolveFormat, type FileFormat } from './detect.js';
import { LangfuseApiSource } from './langfuse-api.js';
import { LangfuseExportSource } from './langfuse-export.js';
import { LangsmithApiSource } from './langsmith-api.js';
import { LangsmithRunsSource } from './langsmith-runs.js';
import { OtlpFileSource } from './otlp-file.js';
import type { TraceSource } from './source.js';
import { TempoSource } from './tempo.js';

export type { RawTrace, SourceStats, TraceQuery, TraceSource } from './source.js';
export { detectFileFormat, detectFormatFromText, FILE_FORMATS } from './detect.js';
export { LangfuseApiSource, LangfuseExportSource, LangsmithApiSource, LangsmithRunsSource, OtlpFileSource, TempoSource };

/** Options of `openSource`. */
export interface OpenSourceOptions {
  /** Force a file format (`otlp-json`, `langfuse-export`, `langsmith-runs`…) instead of sniffing. */
  format?: string;
  /** Where credentials and hosts are read from. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
}

const URL_SCHEMES = ['langfuse://', 'langsmith://', 'tempo+http://', 'tempo+https://'];

function required(env: NodeJS.ProcessEnv, names: string[], what: string): string {
  for (const n of names) {
    const v = env[n];
    if (v) {
      registerSecret(v);
      return v;
    }
  }
  throw new ConfigError(`${what} is not set`, { field: names[0] ?? what, expected: `the environment variable ${names.join(' or ')}` });
}

function openUrl(input: string, env: NodeJS.ProcessEnv): TraceSource {
  const url = new URL(input);
  if (url.protocol === 'langfuse:') {
    const userId = url.searchParams.get('userId');
    const name = url.searchParams.get('name');
    return new LangfuseApiSource({
      baseUrl: env.LANGFUSE_HOST || env.LANGFUSE_BASEURL || env.LANGFUSE_BASE_URL || 'https://cloud.langfuse.com',
      publicKey: required(env, ['LANGFUSE_PUBLIC_KEY'], 'Langfuse public key'),
      secretKey: required(env, ['LANGFUSE_SECRET_KEY'], 'Langfuse secret key'),
      ...(userId ? { userId } : {}),
      ...(name ? { name } : {}),
    });
  }
  if (url.protocol === 'langsmith:') {
    const project = decodeURIComponent(`${url.host}${url.pathname}`.replace(/^\/+|\/+$/g, ''));
    if (!project) throw new InputError('langsmith:// needs a project name', { file: input, expected: 'langsmith://<project>', found: input });
    return new LangsmithApiSource({
      endpoint: env.LANGSMITH_ENDPOINT || env.LANGCHAIN_ENDPOINT || 'https://api.smith.langchain.com',
      apiKey: required(env, ['LANGSMITH_API_KEY', 'LANGCHAIN_API_KEY'], 'LangSmith API key'),
      project,
    });
  }
  const base = input.replace(/^tempo\+/, '');
  const token = env.TEMPO_TOKEN;
  registerSecret(token);
  return new TempoSource({ baseUrl: base, ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}) });
}

function sourceFor(format: FileFormat, files: string[]): TraceSource {
  switch (format) {
    case 'otlp-json':
    case 'otlp-json-logs':
      return new OtlpFileSource(files);
    case 'langfuse-export':
      return new LangfuseExportSource(files);
    case 'langsmith-runs':
      return new LangsmithRunsSource(files);
  }
}

/**
 * Opens a source over `inputs`. Files of one format are read together (OTLP span and log files
 * are joined); one URL at a time. Mixed formats, or a URL mixed with files, throw InputError.
 */
export function openSource(inputs: string[], opts: OpenSourceOptions = {}): TraceSource {
  const env = opts.env ?? process.env;
  if (inputs.length === 0) throw new InputError('no trace input given', { file: '(none)', expected: 'a file path or a langfuse://, langsmith://, tempo+http:// URL' });
  const urls = inputs.filter((i) => URL_SCHEMES.some((s) => i.startsWith(s)));
  if (urls.length > 0) {
    if (inputs.length > 1) {
      throw new InputError('a trace URL cannot be combined with other inputs', { file: inputs.join(', '), expected: 'one URL, or only files', found: inputs.join(' ') });
    }
    return openUrl(urls[0] as string, env);
  }
  const formats = inputs.map((f) => (opts.format ? resolveFormat(opts.format, f) : detectFileFormat(f)));
  const kinds = new Set(formats.map((f) => (f === 'otlp-json-logs' ? 'otlp-json' : f)));
  if (kinds.size > 1) {
    const found = inputs.map((f, i) => `${f}: ${formats[i]}`).join('; ');
    throw new InputError('the inputs have different formats', { file: inputs.join(', '), expected: 'files of one format per import', found });
  }
  return sourceFor(formats[0] as FileFormat, inputs);
}
