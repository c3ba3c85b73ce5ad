/**
 * Sends evaluation events to an OTLP/HTTP logs endpoint through the official OpenTelemetry SDK
 * (`@opentelemetry/sdk-logs` + `@opentelemetry/exporter-logs-otlp-proto`, or `-http` for
 * `http/json`). This module is imported only when `--otlp` is given, so a run without it never
 * loads the SDK.
 *
 * Each event is a log record whose `EventName` is `gen_ai.evaluation.result` and whose trace and
 * span ids are the case's source trace (see evaluation-events.ts). Failures are counted, never
 * thrown: the caller warns and the run's exit code stays the gate's. After the first batch
 * that fails (the exporter has already retried it within its timeout), the rest is counted as
 * not delivered without trying, so a dead endpoint costs one timeout, not one per batch.
 */
import { ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { defaultResource, detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider, type LogRecordExporter, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { TOOL_VERSION } from '../version.js';
import type { OtlpProtocol } from './endpoint.js';
import { EVALUATION_EVENT, type EvaluationEvent } from './evaluation-events.js';

export interface ExportOutcome {
  /** Events the endpoint accepted. */
  sent: number;
  /** Events not delivered (rejected, unreachable endpoint, timeout). */
  failed: number;
  /** The first failure's message. */
  error?: string;
}

/** Log records per OTLP request. */
const BATCH_SIZE = 512;
/** OTel's INFO severity number. */
const SEVERITY_INFO = 9;

/** Events emitted between two flushes: the SDK's queue never holds more than this (events are made as they are sent). */
const FLUSH_EVERY = 4 * BATCH_SIZE;

export async function exportEvaluationEvents(events: Iterable<EvaluationEvent>, url: string, protocol: OtlpProtocol = 'http/protobuf'): Promise<ExportOutcome> {
  const { OTLPLogExporter } = protocol === 'http/json' ? await import('@opentelemetry/exporter-logs-otlp-http') : await import('@opentelemetry/exporter-logs-otlp-proto');
  const exporter = new CountingExporter(new OTLPLogExporter({ url }));
  // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES override the defaults, as in any SDK.
  const resource = defaultResource()
    .merge(resourceFromAttributes({ 'service.name': 'evals', 'service.version': TOOL_VERSION }))
    .merge(detectResources({ detectors: [envDetector] }));
  const provider = new LoggerProvider({
    resource,
    // The queue holds what is emitted between two flushes: the batch processor would otherwise drop what overflows it.
    processors: [new BatchLogRecordProcessor({ exporter, maxExportBatchSize: BATCH_SIZE, maxQueueSize: FLUSH_EVERY })],
  });
  const logger = provider.getLogger('evals', TOOL_VERSION);
  let total = 0;
  try {
    for (const e of events) {
      const context = e.traceId && e.spanId ? trace.setSpanContext(ROOT_CONTEXT, { traceId: e.traceId, spanId: e.spanId, traceFlags: TraceFlags.SAMPLED, isRemote: true }) : ROOT_CONTEXT;
      logger.emit({ eventName: EVALUATION_EVENT, severityNumber: SEVERITY_INFO, severityText: 'INFO', attributes: e.attributes, context });
      if (++total % FLUSH_EVERY === 0) await provider.forceFlush();
    }
    await provider.shutdown(); // flushes every batch, then closes the exporter
  } catch (err) {
    exporter.fail(0, (err as Error).message);
  }
  const lost = total - exporter.sent - exporter.failed;
  return { sent: exporter.sent, failed: exporter.failed + Math.max(lost, 0), ...(exporter.error !== undefined ? { error: exporter.error } : {}) };
}

/** Counts what the endpoint accepted; after a failed batch, fails the rest without sending. */
class CountingExporter implements LogRecordExporter {
  sent = 0;
  failed = 0;
  error: string | undefined;

  constructor(private readonly inner: LogRecordExporter) {}

  export(logs: ReadableLogRecord[], done: (result: ExportResult) => void): void {
    if (this.error !== undefined) {
      this.failed += logs.length;
      done({ code: ExportResultCode.FAILED, error: new Error(this.error) });
      return;
    }
    this.inner.export(logs, (result) => {
      if (result.code === ExportResultCode.SUCCESS) this.sent += logs.length;
      else this.fail(logs.length, describe(result.error));
      done(result);
    });
  }

  fail(count: number, message: string): void {
    this.failed += count;
    this.error ??= message;
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
}

/** `HTTP 400 Bad Request` for an answer, the network error's message otherwise. */
function describe(error: Error | undefined): string {
  if (!error) return 'export failed';
  const status = (error as Error & { code?: unknown }).code;
  return typeof status === 'number' ? `HTTP ${status}${error.message ? ` ${error.message}` : ''}` : error.message;
}
