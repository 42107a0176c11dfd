import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { ATTR_ERROR_TYPE } from '@opentelemetry/semantic-conventions';
import {
  activeTraceIds,
  contextFromCarrier,
  portalTracer,
  traceCarrierOf,
  type TraceCarrier,
} from './tracing-context.ts';
import { isTracingEnabled } from './tracing.ts';

/**
 * What a durable event's envelope carries of the change that wrote it: the trace id (the current
 * trace's when one is, else the caller's id, else a fresh one) and, when a span is current, its
 * W3C trace context, which the consumer's span continues.
 */
export function envelopeTraceOf(fallbackTraceId: () => string): { traceId: string } & TraceCarrier {
  const active = activeTraceIds();
  return active ? { traceId: active.trace_id, ...traceCarrierOf() } : { traceId: fallbackTraceId() };
}

/**
 * The consumer-side span of one durable event: a child of the span that wrote the event to the
 * outbox (through the envelope's `traceparent`), so a trace follows a change from the request into
 * every service that reacts to it, however much later the event is delivered. Its SQL (the inbox
 * row, the handler's writes) and log lines join that trace.
 */
export function traceEventHandling<T>(
  consumer: string,
  envelope: { id: string; type: string } & TraceCarrier,
  handle: () => Promise<T>,
): Promise<T> {
  if (!isTracingEnabled()) return handle();
  const parent = contextFromCarrier(envelope, ROOT_CONTEXT);
  const span = portalTracer().startSpan(
    `process ${envelope.type}`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        'messaging.system': 'nats',
        'messaging.operation.type': 'process',
        'messaging.destination.name': envelope.type,
        'messaging.consumer.group.name': consumer,
        'messaging.message.id': envelope.id,
      },
    },
    parent,
  );
  return context.with(trace.setSpan(parent, span), handle).then(
    (result) => {
      span.end();
      return result;
    },
    (error: unknown) => {
      const name = (error as { name?: unknown }).name;
      span.setAttribute(ATTR_ERROR_TYPE, String(name ?? 'Error'));
      span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
      throw error;
    },
  );
}
