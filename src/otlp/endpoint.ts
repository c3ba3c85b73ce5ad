/**
 * Where `evals run --otlp [endpoint]` sends its events, by the OTLP exporter conventions:
 * 1. the flag's value, a base URL like `OTEL_EXPORTER_OTLP_ENDPOINT` (`/v1/logs` is appended
 *    unless the path already ends with it);
 * 2. `OTEL_EXPORTER_OTLP_LOGS_ENDPOINT`, used as is;
 * 3. `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/logs`;
 * 4. `http://localhost:4318/v1/logs` (the OTLP/HTTP default).
 * Headers (`OTEL_EXPORTER_OTLP_HEADERS`, `OTEL_EXPORTER_OTLP_LOGS_HEADERS`), timeout and
 * certificates are read from the environment by the OpenTelemetry exporter itself.
 * Setting the variables alone exports nothing: the flag turns the export on.
 */
import { UsageError } from '../errors.js';

export const LOGS_PATH = 'v1/logs';
export const DEFAULT_LOGS_URL = 'http://localhost:4318/v1/logs';

export interface OtlpTarget {
  /** The full OTLP/HTTP logs URL. */
  url: string;
  /** Where the URL came from, for messages (`--otlp`, an environment variable, `default`). */
  from: string;
}

/** `flag` is `true` for a bare `--otlp`, else its value. Invalid URLs are usage errors (exit 2). */
export function resolveOtlpTarget(flag: true | string, env: NodeJS.ProcessEnv = process.env): OtlpTarget {
  if (flag !== true) return { url: withLogsPath(checkUrl(flag, '--otlp')), from: '--otlp' };
  const logs = env.OTEL_EXPORTER_OTLP_LOGS_ENDPOINT?.trim();
  if (logs) return { url: checkUrl(logs, 'OTEL_EXPORTER_OTLP_LOGS_ENDPOINT').href, from: 'OTEL_EXPORTER_OTLP_LOGS_ENDPOINT' };
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  if (base) return { url: withLogsPath(checkUrl(base, 'OTEL_EXPORTER_OTLP_ENDPOINT')), from: 'OTEL_EXPORTER_OTLP_ENDPOINT' };
  return { url: DEFAULT_LOGS_URL, from: 'default' };
}

function checkUrl(text: string, field: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new UsageError('not an OTLP/HTTP endpoint', { field, expected: 'an http(s) URL such as http://localhost:4318', found: JSON.stringify(text) });
  }
  return url;
}

function withLogsPath(url: URL): string {
  if (url.pathname.replace(/\/+$/, '').endsWith(`/${LOGS_PATH}`)) return url.href;
  const out = new URL(url.href);
  out.pathname = `${url.pathname.replace(/\/+$/, '')}/${LOGS_PATH}`;
  return out.href;
}
