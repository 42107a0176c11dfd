import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { ATTR_ERROR_TYPE, ATTR_RPC_METHOD } from '@opentelemetry/semantic-conventions';
import type moleculer from 'moleculer';
import { contextFromCarrier, portalTracer, traceCarrierOf } from './tracing-context.ts';
import { isTracingEnabled } from './tracing.ts';

const rpcSystem = 'rpc.system';

/**
 * Moleculer's own `$node.*` actions (discovery, health polling) and private actions (moleculer-web's
 * `rest`, which only carries the HTTP request already spanned by the gateway) would be noise.
 */
const isTraced = (action: moleculer.ActionSchema) =>
  !String(action.name).startsWith('$') && action.visibility !== 'private';

/**
 * Ends `span` when the call settles. A failure marks the span as an error only when it is the
 * server's fault (no status code, or 5xx); a 4xx DomainError is an answer, recorded as its type.
 */
function endWhenSettled<T>(span: Span, outcome: Promise<T>): Promise<T> {
  return outcome.then(
    (result) => {
      span.end();
      return result;
    },
    (error: unknown) => {
      const failure = error as { code?: unknown; type?: unknown; name?: unknown };
      span.setAttribute(ATTR_ERROR_TYPE, String(failure.type ?? failure.name ?? 'Error'));
      if (typeof failure.code !== 'number' || failure.code >= 500) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: String(failure.type ?? failure.name ?? 'Error') });
      }
      span.end();
      throw error;
    },
  );
}

function run<T>(span: Span, call: () => Promise<T>): Promise<T> {
  try {
    return endWhenSettled(span, context.with(trace.setSpan(context.active(), span), call));
  } catch (error) {
    return endWhenSettled(span, Promise.reject(error as Error));
  }
}

/**
 * Spans around action calls: a client span on the calling node for a call to another node, whose
 * W3C trace context travels in `ctx.meta` (`traceparent`, `tracestate`) with the request over
 * NATS, and a server span around the handler. The handler runs with its span current, so its SQL,
 * its own calls and its log lines join the same trace. Only added when tracing is on.
 */
export function tracingMiddleware(): moleculer.Middleware {
  return {
    name: 'OpenTelemetryTracing',
    remoteAction(next: (ctx: moleculer.Context) => Promise<unknown>, action: moleculer.ActionSchema) {
      const name = String(action.name);
      if (!isTraced(action)) return next;
      return (ctx: moleculer.Context) => {
        const span = portalTracer().startSpan(name, {
          kind: SpanKind.CLIENT,
          attributes: { [rpcSystem]: 'moleculer', [ATTR_RPC_METHOD]: name },
        });
        // A new object: with a root call, `ctx.meta` is the caller's own `meta` option.
        ctx.meta = { ...ctx.meta, ...traceCarrierOf(trace.setSpan(context.active(), span)) };
        return run(span, () => next(ctx));
      };
    },
    localAction(next: (ctx: moleculer.Context) => Promise<unknown>, action: moleculer.ActionSchema) {
      const name = String(action.name);
      if (!isTraced(action)) return next;
      return (ctx: moleculer.Context) => {
        // A call from another node carries its caller's span in meta; a call within this process
        // has it current already (its meta may still hold an older span inherited from a parent).
        const fromAnotherNode = ctx.nodeID !== ctx.broker.nodeID;
        const parent = fromAnotherNode ? contextFromCarrier(ctx.meta, ROOT_CONTEXT) : context.active();
        const span = portalTracer().startSpan(
          name,
          { kind: SpanKind.SERVER, attributes: { [rpcSystem]: 'moleculer', [ATTR_RPC_METHOD]: name } },
          parent,
        );
        return context.with(parent, () => run(span, () => next(ctx)));
      };
    },
  };
}

/** The broker's tracing middleware when tracing is on in this process, none otherwise (no overhead). */
export function brokerTracingMiddlewares(): moleculer.Middleware[] {
  return isTracingEnabled() ? [tracingMiddleware()] : [];
}
