import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  TracerProvider,
  type SpanExporter,
} from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_INSTANCE_ID, ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { instrumentPostgres } from './tracing-postgres.ts';

/** The OpenTelemetry variables a process reads (validated by `processEnvSchema`). */
export interface TracingEnv {
  OTEL_EXPORTER_OTLP_ENDPOINT?: string | undefined;
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?: string | undefined;
  OTEL_TRACES_SAMPLER_ARG: number;
  OTEL_BSP_SCHEDULE_DELAY: number;
}

export interface Tracing {
  enabled: boolean;
  /** One line for the start-up log: where spans go, or that tracing is off. */
  description: string;
  /** Sends what is buffered now (tests; a process relies on the batch delay). */
  flush(): Promise<void>;
  /** Sends what is still buffered and stops exporting (at process stop). */
  shutdown(): Promise<void>;
}

let started: Tracing | undefined;

/**
 * Turns tracing on for this process when an OTLP endpoint is configured: W3C trace context, an
 * AsyncLocalStorage context manager (so a span stays current across awaits), a parent-based ratio
 * sampler, batched OTLP/HTTP (JSON) export, and spans around every SQL statement. With no endpoint
 * nothing is registered and every instrumentation point stays on the no-op path.
 */
export function startTracing(
  serviceName: string,
  instanceId: string,
  env: TracingEnv,
  /** Where spans go; the OTLP exporter unless a test passes its own. */
  exporterFor: (url: string) => SpanExporter = (url) => new OTLPTraceExporter({ url }),
): Tracing {
  if (started) return started;
  const endpoint =
    env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ??
    (env.OTEL_EXPORTER_OTLP_ENDPOINT ? `${env.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/$/, '')}/v1/traces` : undefined);
  if (!endpoint) {
    started = {
      enabled: false,
      description: 'tracing off (set OTEL_EXPORTER_OTLP_ENDPOINT to export traces)',
      flush: async () => {},
      shutdown: async () => {
        started = undefined;
      },
    };
    return started;
  }
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: serviceName, [ATTR_SERVICE_INSTANCE_ID]: instanceId }),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(env.OTEL_TRACES_SAMPLER_ARG) }),
    spanProcessors: [
      new BatchSpanProcessor({
        exporter: exporterFor(endpoint),
        scheduledDelayMillis: env.OTEL_BSP_SCHEDULE_DELAY,
      }),
    ],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  instrumentPostgres();
  started = {
    enabled: true,
    description: `tracing on: spans of ${serviceName} go to ${withoutCredentials(endpoint)} (sampling ${env.OTEL_TRACES_SAMPLER_ARG})`,
    flush: () => provider.forceFlush(),
    shutdown: async () => {
      await provider.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
      started = undefined;
    },
  };
  return started;
}

/** Whether `startTracing` turned tracing on in this process (the broker adds its middleware only then). */
export function isTracingEnabled(): boolean {
  return started?.enabled ?? false;
}

/** A collector URL may carry a user and password: the log line names the place only. */
function withoutCredentials(endpoint: string): string {
  const parsed = new URL(endpoint);
  return `${parsed.origin}${parsed.pathname}`;
}
