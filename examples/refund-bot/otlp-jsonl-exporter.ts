/**
 * OTLP JSON-lines file exporters for the OpenTelemetry JS SDK.
 *
 * Each export batch is serialized with the official `@opentelemetry/otlp-transformer` JSON
 * serializer and appended as ONE line to a file, which is exactly the layout of the
 * OpenTelemetry Collector `file` exporter (`{"resourceSpans":[...]}` / `{"resourceLogs":[...]}`
 * per line). Pair them with a batch processor: a small batch size splits one trace over
 * several lines, as real collector files do.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { JsonLogsSerializer, JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';

/** Options shared by both file exporters. */
export interface JsonlExporterOptions {
  /** Target file; parent directories are created. */
  path: string;
  /** Truncate the file when the exporter is created. Default true (regeneration replaces the file). */
  truncate?: boolean;
}

/**
 * Appends serialized OTLP requests, one per line. Writes are synchronous so that lines of
 * concurrent exports never interleave and a crash never leaves half a line.
 */
class JsonlAppender {
  private closed = false;
  private readonly decoder = new TextDecoder();

  constructor(private readonly options: JsonlExporterOptions) {
    mkdirSync(dirname(options.path), { recursive: true });
    if (options.truncate ?? true) writeFileSync(options.path, '');
  }

  append(bytes: Uint8Array | undefined, done: (result: ExportResult) => void): void {
    if (this.closed) {
      done({ code: ExportResultCode.FAILED, error: new Error('exporter is shut down') });
      return;
    }
    if (bytes === undefined || bytes.length === 0) {
      done({ code: ExportResultCode.SUCCESS });
      return;
    }
    try {
      appendFileSync(this.options.path, `${this.decoder.decode(bytes)}\n`);
      done({ code: ExportResultCode.SUCCESS });
    } catch (error) {
      done({ code: ExportResultCode.FAILED, error: error instanceof Error ? error : new Error(String(error)) });
    }
  }

  close(): void {
    this.closed = true;
  }
}

/** SpanExporter writing one `{"resourceSpans":[...]}` line per export batch. */
export class JsonlSpanExporter implements SpanExporter {
  private readonly appender: JsonlAppender;

  /** @param options target file; truncated on creation unless `truncate: false`. */
  constructor(options: JsonlExporterOptions) {
    this.appender = new JsonlAppender(options);
  }

  /** Serializes the batch as an ExportTraceServiceRequest and appends it as one line. */
  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    if (spans.length === 0) {
      resultCallback({ code: ExportResultCode.SUCCESS });
      return;
    }
    this.appender.append(JsonTraceSerializer.serializeRequest(spans), resultCallback);
  }

  /** Nothing is buffered here: writes are synchronous. */
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  /** Later exports fail. */
  shutdown(): Promise<void> {
    this.appender.close();
    return Promise.resolve();
  }
}

/** LogRecordExporter writing one `{"resourceLogs":[...]}` line per export batch. */
export class JsonlLogRecordExporter implements LogRecordExporter {
  private readonly appender: JsonlAppender;

  /** @param options target file; truncated on creation unless `truncate: false`. */
  constructor(options: JsonlExporterOptions) {
    this.appender = new JsonlAppender(options);
  }

  /** Serializes the batch as an ExportLogsServiceRequest and appends it as one line. */
  export(logs: ReadableLogRecord[], resultCallback: (result: ExportResult) => void): void {
    if (logs.length === 0) {
      resultCallback({ code: ExportResultCode.SUCCESS });
      return;
    }
    this.appender.append(JsonLogsSerializer.serializeRequest(logs), resultCallback);
  }

  /** Nothing is buffered here: writes are synchronous. */
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  /** Later exports fail. */
  shutdown(): Promise<void> {
    this.appender.close();
    return Promise.resolve();
  }
}
