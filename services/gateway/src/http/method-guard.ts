import type { IncomingMessage, ServerResponse } from 'node:http';
import { gatewayError } from '../errors.ts';

/** The paths of one moleculer-web route and the methods each answers, read from its aliases. */
export interface MethodTable {
  /** The methods `pathname` answers, or null when no alias has that path (an unknown path). */
  allowedMethods(pathname: string): string[] | null;
}

interface PathTemplate {
  segments: string[];
  methods: Set<string>;
}

const segmentsOf = (path: string) => path.split('/').filter(Boolean);

// Matches the way moleculer-web's aliases match (path-to-regexp): `:name` is one non-empty
// segment, literal segments ignore case, a trailing slash does not count.
function matches(template: readonly string[], segments: readonly string[]): boolean {
  return (
    template.length === segments.length &&
    template.every((part, index) => part.startsWith(':') || part.toLowerCase() === segments[index]?.toLowerCase())
  );
}

/** Literal segments beat parameters, compared from the left (`/contacts/export` before `/contacts/:id`). */
function moreSpecificFirst(a: readonly string[], b: readonly string[]): number {
  for (let index = 0; index < a.length; index++) {
    const aParam = a[index]?.startsWith(':') ?? false;
    const bParam = b[index]?.startsWith(':') ?? false;
    if (aParam !== bParam) return aParam ? 1 : -1;
  }
  return 0;
}

/**
 * The table of a route mounted at `routePath` with aliases keyed `METHOD /relative/path` (the
 * same keys moleculer-web reads, so the table cannot drift from the routes).
 */
export function methodTableOf(routePath: string, aliases: Readonly<Record<string, unknown>>): MethodTable {
  const templates = new Map<string, PathTemplate>();
  for (const key of Object.keys(aliases)) {
    const match = /^([A-Z]+)\s+(\S+)$/.exec(key);
    if (!match) throw new Error(`alias "${key}" does not name a method and a path`);
    const [, method = '', path = ''] = match;
    const segments = segmentsOf(`${routePath}/${path}`);
    const id = segments.map((segment) => (segment.startsWith(':') ? ':' : segment.toLowerCase())).join('/');
    const template = templates.get(id) ?? { segments, methods: new Set<string>() };
    template.methods.add(method);
    templates.set(id, template);
  }
  return {
    allowedMethods(pathname) {
      const segments = segmentsOf(pathname);
      // Several templates can match one path (`/contacts/export` and `/contacts/:contactId`): the
      // most specific one names the resource, as the OpenAPI document does, so `PATCH
      // /contacts/export` is a 405 rather than a PATCH of a contact whose id is "export".
      const resource = [...templates.values()]
        .filter((template) => matches(template.segments, segments))
        .sort((a, b) => moreSpecificFirst(a.segments, b.segments))[0];
      return resource ? [...resource.methods].sort() : null;
    },
  };
}

interface RoutedRequest extends IncomingMessage {
  /** moleculer-web: the path without query string and trailing slash. */
  parsedUrl?: string;
}

function pathnameOf(request: RoutedRequest): string {
  return request.parsedUrl ?? new URL(request.url ?? '/', 'http://gateway.invalid').pathname;
}

/**
 * A route middleware that runs before the alias handler. A known path with a method it does not
 * answer is 405 with `Allow`; `OPTIONS` on a known path is 204 with `Allow` and runs nothing
 * (moleculer-web would otherwise dispatch an OPTIONS request to the alias named by its
 * `Access-Control-Request-Method` header). Unknown paths pass on, to become 404.
 */
export function methodGuard(table: MethodTable) {
  return (request: RoutedRequest, response: ServerResponse, next: (error?: Error) => void): void => {
    const allowed = table.allowedMethods(pathnameOf(request));
    const method = request.method ?? 'GET';
    if (!allowed || (allowed.includes(method) && method !== 'OPTIONS')) {
      next();
      return;
    }
    const allow = [...allowed.filter((name) => name !== 'OPTIONS'), 'OPTIONS'];
    if (method === 'OPTIONS') {
      response.statusCode = 204;
      response.setHeader('allow', allow.join(', '));
      response.end();
      return;
    }
    next(gatewayError('METHOD_NOT_ALLOWED', { details: { allow } }));
  };
}
