import type { SpanExporter } from '@opentelemetry/sdk-trace';
import { startTracing, type Tracing } from '../../../src/observability/tracing.ts';

/**
 * Tracing turned on as a process does it, with `exporter` in place of the collector and a batch
 * delay long enough that only `tracing.flush()` sends spans (the test decides when to look).
 */
export function startTracingInto(exporter: SpanExporter): Tracing {
  return startTracing(
    'unit',
    'unit-1',
    {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector.invalid:4318',
      OTEL_TRACES_SAMPLER_ARG: 1,
      OTEL_BSP_SCHEDULE_DELAY: 60_000,
    },
    () => exporter,
  );
}
