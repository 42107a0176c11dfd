import type { IncomingMessage, ServerResponse } from 'node:http';
import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
} from '@opentelemetry/semantic-conventions';
import { portalTracer } from './tracing-context.ts';
import { isTracingEnabled } from './tracing.ts';

/**
 * The server span of one HTTP request, current for everything the request does (its log lines,
 * its action calls). Its name is the method and the route template (`GET /api/v1/admin/accounts/:id`),
 * never the concrete path, so ids and query strings stay out of span names; `routeOf` reads the
 * template once routing has happened. Each request starts a new trace: the gateway is the edge, and
 * a client's own `traceparent` could otherwise force sampling or choose trace ids. Without tracing,
 * `handle` runs as it is.
 */
export function traceHttpRequest<T>(
  request: IncomingMessage,
  response: ServerResponse,
  routeOf: (request: IncomingMessage) => string | undefined,
  handle: () => T,
): T {
  if (!isTracingEnabled()) return handle();
  const method = request.method ?? 'GET';
  const parent = ROOT_CONTEXT;
  const span = portalTracer().startSpan(
    method,
    { kind: SpanKind.SERVER, attributes: { [ATTR_HTTP_REQUEST_METHOD]: method } },
    parent,
  );
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    const route = routeOf(request);
    if (route) {
      span.updateName(`${method} ${route}`);
      span.setAttribute(ATTR_HTTP_ROUTE, route);
    }
    span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, response.statusCode);
    if (response.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  };
  response.once('finish', end);
  response.once('close', end);
  return context.with(trace.setSpan(parent, span), handle);
}
