/**
 * Where `evals run --otlp [endpoint]` sends its events, by the OTLP exporter conventions:
 * 1. the flag's value, a base URL like `OTEL_EXPORTER_OTLP_ENDPOINT` (`/v1/logs` is appended
 *    unless the path already ends with it);
 * 2. `OTEL_EXPORTER_OTLP_LOGS_ENDPOINT`, used as is;
 * 3. `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/logs`;
 * 4. `http://localhost:4318/v1/logs` (the OTLP/HTTP default).
 * The encoding is `OTEL_EXPORTER_OTLP_LOGS_PROTOCOL`, else `OTEL_EXPORTER_OTLP_PROTOCOL`, else
 * `http/protobuf` (the OTLP default); `http/json` also works, `grpc` is a usage error.
 * Headers (`OTEL_EXPORTER_OTLP_HEADERS`, `OTEL_EXPORTER_OTLP_LOGS_HEADERS`), timeout and
 * certificates are read from the environment by the OpenTelemetry exporter itself.
 * Setting the variables alone exports nothing: the flag turns the export on.
 */
import { UsageError } from '../errors.js';

export const LOGS_PATH = 'v1/logs';
export const DEFAULT_LOGS_URL = 'http://localhost:4318/v1/logs';

export const PROTOCOLS = ['http/protobuf', 'http/json'] as const;
export type OtlpProtocol = (typeof PROTOCOLS)[number];

export interface OtlpTarget {
  /** The full OTLP/HTTP logs URL. */
  url: string;
  /** Where the URL came from, for messages (`--otlp`, an environment variable, `default`). */
  from: string;
  protocol: OtlpProtocol;
}

/** `flag` is `true` for a bare `--otlp`, else its value. Invalid URLs are usage errors (exit 2). */
export function resolveOtlpTarget(flag: true | string, env: NodeJS.ProcessEnv = process.env): OtlpTarget {
  const protocol = protocolOf(env);
  if (flag !== true) return { url: withLogsPath(checkUrl(flag, '--otlp')), from: '--otlp', protocol };
  const logs = env.OTEL_EXPORTER_OTLP_LOGS_ENDPOINT?.trim();
  if (logs) return { url: checkUrl(logs, 'OTEL_EXPORTER_OTLP_LOGS_ENDPOINT').href, from: 'OTEL_EXPORTER_OTLP_LOGS_ENDPOINT', protocol };
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  if (base) return { url: withLogsPath(checkUrl(base, 'OTEL_EXPORTER_OTLP_ENDPOINT')), from: 'OTEL_EXPORTER_OTLP_ENDPOINT', protocol };
  return { url: DEFAULT_LOGS_URL, from: 'default', protocol };
}

function protocolOf(env: NodeJS.ProcessEnv): OtlpProtocol {
  for (const field of ['OTEL_EXPORTER_OTLP_LOGS_PROTOCOL', 'OTEL_EXPORTER_OTLP_PROTOCOL']) {
    const value = env[field]?.trim();
    if (!value) continue;
    if ((PROTOCOLS as readonly string[]).includes(value)) return value as OtlpProtocol;
    throw new UsageError('unsupported OTLP protocol', { field, expected: `${PROTOCOLS.join(' or ')} (evals exports over HTTP only)`, found: JSON.stringify(value) });
  }
  return 'http/protobuf';
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
