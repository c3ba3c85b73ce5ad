/**
 * A minimal OTLP/HTTP logs receiver on 127.0.0.1 for tests: accepts `POST /v1/logs` with an
 * OTLP body, binary protobuf (`application/x-protobuf`) or JSON, keeps every request,
 * and flattens the log records with their resource and scope. `status` makes it reject.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeLogsRequest } from './otlp-proto-decode.js';

type AnyValue = { stringValue?: string; intValue?: number | string; doubleValue?: number; boolValue?: boolean };
interface KeyValue {
  key: string;
  value: AnyValue;
}

export interface ReceivedRecord {
  eventName?: string;
  traceId?: string;
  spanId?: string;
  severityNumber?: number;
  attributes: Record<string, string | number | boolean>;
  resource: Record<string, string | number | boolean>;
  scope: string;
}

export interface OtlpReceiver {
  /** Base URL, e.g. `http://127.0.0.1:43210` (the exporter appends `/v1/logs`). */
  url: string;
  requests: Array<{ path: string; headers: IncomingHttpHeaders }>;
  records: ReceivedRecord[];
  /** Answer every request with this status (200 by default). */
  status: number;
  close(): Promise<void>;
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const receiver: Omit<OtlpReceiver, 'url' | 'close'> = { requests: [], records: [], status: 200 };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      receiver.requests.push({ path: req.url ?? '', headers: req.headers });
      if (receiver.status !== 200) {
        res.writeHead(receiver.status, { 'content-type': 'application/json' }).end('{"message":"rejected by the test receiver"}');
        return;
      }
      const body = Buffer.concat(chunks);
      const proto = req.headers['content-type'] === 'application/x-protobuf';
      if (req.method === 'POST' && req.url === '/v1/logs') receiver.records.push(...flatten(proto ? decodeLogsRequest(body) : JSON.parse(body.toString('utf8'))));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

interface ExportLogsRequest {
  resourceLogs?: Array<{
    resource?: { attributes?: KeyValue[] };
    scopeLogs?: Array<{ scope?: { name?: string }; logRecords?: Array<{ eventName?: string; traceId?: string; spanId?: string; severityNumber?: number; attributes?: KeyValue[] }> }>;
  }>;
}

function flatten(body: ExportLogsRequest): ReceivedRecord[] {
  const out: ReceivedRecord[] = [];
  for (const rl of body.resourceLogs ?? []) {
    const resource = attributes(rl.resource?.attributes);
    for (const sl of rl.scopeLogs ?? []) {
      for (const r of sl.logRecords ?? []) {
        out.push({
          ...(r.eventName ? { eventName: r.eventName } : {}),
          ...(r.traceId ? { traceId: r.traceId } : {}),
          ...(r.spanId ? { spanId: r.spanId } : {}),
          ...(r.severityNumber !== undefined ? { severityNumber: r.severityNumber } : {}),
          attributes: attributes(r.attributes),
          resource,
          scope: sl.scope?.name ?? '',
        });
      }
    }
  }
  return out;
}

function attributes(list: KeyValue[] | undefined): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const { key, value } of list ?? []) {
    const v = value.stringValue ?? value.doubleValue ?? value.boolValue ?? (value.intValue !== undefined ? Number(value.intValue) : undefined);
    if (v !== undefined) out[key] = v;
  }
  return out;
}
