import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpMetricsSink } from '@portal/kit';

/** What moleculer-web leaves on a request: the matched alias (after the route's middlewares), route and service. */
interface RoutedRequest extends IncomingMessage {
  $alias?: { fullPath?: string };
  $route?: { path?: string };
  /** The path moleculer-web matched aliases against (query and trailing slash removed). */
  parsedUrl?: string;
  $service?: { resolveAlias?(url: string, method?: string): { alias?: { fullPath?: string } } | false | undefined };
}

/** The methods the gateway serves; anything else is one label, so a scanner cannot grow the series. */
const knownMethods = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** A client gone before any answer was sent (nginx's convention). */
export const clientClosedStatus = 499;

/**
 * The route label: the alias's template (`/api/v1/admin/accounts/:accountId`), never the raw path
 * with its ids. A request refused before moleculer-web recorded its alias (401, 429, 405) is looked
 * up again the way moleculer-web matched it; one that names no alias gets the route's prefix and
 * `/*` (the web apps' pages are all `/*`).
 */
export function routeTemplateOf(request: IncomingMessage): string {
  const routed = request as RoutedRequest;
  if (routed.$alias?.fullPath) return routed.$alias.fullPath;
  const prefix = routed.$route?.path;
  if (prefix === undefined) return 'unmatched';
  if (routed.parsedUrl !== undefined) {
    // moleculer-web's own matcher; it answers false when nothing matches.
    const found = routed.$service?.resolveAlias?.(routed.parsedUrl, request.method);
    const template = found ? found.alias?.fullPath : undefined;
    if (template) return template;
  }
  return `${prefix.replace(/\/+$/, '')}/*`;
}

/**
 * Counts and times every HTTP response once, when its connection is done with it. First in the
 * chain so that refusals by later middlewares (authentication, rate limits) are counted too.
 */
export function requestMetrics(sink: HttpMetricsSink) {
  return (request: IncomingMessage, response: ServerResponse, next: () => void): void => {
    const startedAt = performance.now();
    response.once('close', () => {
      const status = response.headersSent ? response.statusCode : clientClosedStatus;
      const method = knownMethods.has(request.method ?? '') ? (request.method as string) : 'OTHER';
      const contentType = response.getHeader('content-type');
      // An event stream lasts as long as the page; its duration would drown every latency percentile.
      const streamed = typeof contentType === 'string' && contentType.startsWith('text/event-stream');
      sink.observeRequest(
        routeTemplateOf(request),
        method,
        status,
        streamed ? undefined : (performance.now() - startedAt) / 1000,
      );
    });
    next();
  };
}
