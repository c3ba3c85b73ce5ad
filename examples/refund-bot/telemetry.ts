/**
 * OpenTelemetry bootstrap that writes traces (and optionally logs) to OTLP JSON-lines files.
 * Used by the refund bot's trace generator and by the fixture generators in
 * `test/fixtures/generate/`. Registers the providers globally, so instrumentations registered
 * afterwards pick them up.
 */
import { logs } from '@opentelemetry/api-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { BatchSpanProcessor, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { JsonlLogRecordExporter, JsonlSpanExporter } from './otlp-jsonl-exporter.js';

/** Options of {@link setupTelemetry}. */
export interface TelemetryOptions {
  /** `service.name` resource attribute. */
  serviceName: string;
  /** Extra resource attributes (e.g. `service.version`, `deployment.environment.name`). Default none. */
  resource?: Record<string, string>;
  /** OTLP JSON-lines file for spans. */
  tracesPath: string;
  /** OTLP JSON-lines file for log records; no LoggerProvider is registered when absent. */
  logsPath?: string;
  /** Spans (and log records) per export batch = per line. Default 4, so traces span several lines. */
  batchSize?: number;
  /**
   * Builds the span processor around the file exporter, for libraries that ship their own
   * processor (e.g. Langfuse's, given `exporter`). Default: a BatchSpanProcessor of `batchSize`.
   */
  makeSpanProcessor?: (exporter: SpanExporter, batchSize: number) => SpanProcessor;
}

/** Handle returned by {@link setupTelemetry}. */
export interface Telemetry {
  tracerProvider: NodeTracerProvider;
  loggerProvider?: LoggerProvider;
  /** Exports everything buffered so far. */
  flush(): Promise<void>;
  /** Flushes and shuts both providers down. */
  shutdown(): Promise<void>;
}

/**
 * Registers a global NodeTracerProvider (AsyncLocalStorage context) whose BatchSpanProcessor
 * writes to `tracesPath`, plus a global LoggerProvider writing to `logsPath` when given.
 * The files are truncated first.
 */
export function setupTelemetry(options: TelemetryOptions): Telemetry {
  const resource = resourceFromAttributes({ 'service.name': options.serviceName, ...options.resource });
  const batchSize = options.batchSize ?? 4;
  const batch = { maxExportBatchSize: batchSize, scheduledDelayMillis: 50, maxQueueSize: 2048 };
  const spanExporter = new JsonlSpanExporter({ path: options.tracesPath });
  const spanProcessor = options.makeSpanProcessor
    ? options.makeSpanProcessor(spanExporter, batchSize)
    : new BatchSpanProcessor(spanExporter, batch);
  const tracerProvider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  tracerProvider.register();

  let loggerProvider: LoggerProvider | undefined;
  if (options.logsPath !== undefined) {
    const logProcessor = new BatchLogRecordProcessor({ exporter: new JsonlLogRecordExporter({ path: options.logsPath }), ...batch });
    loggerProvider = new LoggerProvider({ resource, processors: [logProcessor] });
    logs.setGlobalLoggerProvider(loggerProvider);
  }

  const flush = async (): Promise<void> => {
    await tracerProvider.forceFlush();
    await loggerProvider?.forceFlush();
  };
  return {
    tracerProvider,
    ...(loggerProvider ? { loggerProvider } : {}),
    flush,
    async shutdown() {
      await flush();
      await tracerProvider.shutdown();
      await loggerProvider?.shutdown();
    },
  };
}
