import { context, propagation, trace, type Context, type SpanContext, type Tracer } from '@opentelemetry/api';

/**
 * The tracer every span of the kit comes from. Until `startTracing` registers a provider it is
 * OpenTelemetry's no-op tracer: spans cost an object allocation and export nothing.
 */
export function portalTracer(): Tracer {
  return trace.getTracer('@portal/kit');
}

/**
 * W3C trace context in a plain record: what crosses process boundaries in `ctx.meta` (Moleculer
 * over NATS) and in a durable event's envelope. Only these two keys travel; baggage does not.
 */
export interface TraceCarrier {
  traceparent?: string;
  tracestate?: string;
}

/** The carrier of `active` (the current context by default); empty when no valid span is current. */
export function traceCarrierOf(active: Context = context.active()): TraceCarrier {
  const carrier: Record<string, string> = {};
  propagation.inject(active, carrier);
  return {
    ...(carrier.traceparent ? { traceparent: carrier.traceparent } : {}),
    ...(carrier.tracestate ? { tracestate: carrier.tracestate } : {}),
  };
}

/**
 * The context a carrier continues, on top of `base` (the current context by default). A carrier
 * without a valid `traceparent` gives `base` back unchanged.
 */
export function contextFromCarrier(carrier: unknown, base: Context = context.active()): Context {
  if (typeof carrier !== 'object' || carrier === null) return base;
  const { traceparent, tracestate } = carrier as Record<string, unknown>;
  if (typeof traceparent !== 'string') return base;
  return propagation.extract(base, { traceparent, ...(typeof tracestate === 'string' ? { tracestate } : {}) });
}

/** The current span's ids for a log line, or nothing when no valid span is current. */
export function activeTraceIds(): { trace_id: string; span_id: string } | undefined {
  const spanContext: SpanContext | undefined = trace.getSpan(context.active())?.spanContext();
  if (!spanContext || !trace.isSpanContextValid(spanContext)) return undefined;
  return { trace_id: spanContext.traceId, span_id: spanContext.spanId };
}
