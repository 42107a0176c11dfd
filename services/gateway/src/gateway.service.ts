import type { IncomingMessage, ServerResponse } from 'node:http';
import type moleculer from 'moleculer';
import ApiGateway, { type ApiRouteSchema, type ApiSettingsSchema } from 'moleculer-web';
import type { HttpBinding } from '@portal/contracts';
import { statusActionOf, type ReadinessCheck } from '@portal/kit';
import type { TokenVerifier } from './adapters/staff-token.verifier.ts';
import { buildAsyncApiDocument } from './asyncapi/asyncapi.builder.ts';
import { bearerTokenOf, staffAuthMiddleware, type StaffRequest } from './auth/staff-auth.middleware.ts';
import { hasStaffRole } from './auth/staff-permissions.ts';
import { lacksPermission, unauthenticated } from './errors.ts';
import { assignClientAddress, type TrustedProxies } from './http/client-address.ts';
import { contractAliases } from './http/contract-routes.builder.ts';
import { toErrorResponse } from './http/error-response.ts';
import { methodGuard, methodTableOf } from './http/method-guard.ts';
import { anonymousRateLimit } from './http/rate-limit.middleware.ts';
import { tokenBucketLimiter } from './http/rate-limiter.ts';
import { apiPrefix } from './http/request-params.ts';
import { assignRequestId, requestIdOf } from './http/request-id.ts';
import { setSecurityHeaders } from './http/security-headers.ts';
import { buildOpenApiDocument } from './openapi/openapi.builder.ts';
import { cachedStatus, collectSystemStatus, publicStatusOf } from './system-status.ts';
import { serviceVersion } from './version.ts';

export interface GatewaySettings {
  host: string;
  port: number;
  jsonBodyLimitBytes: number;
  csvBodyLimitBytes: number;
  /** Peers whose `X-Forwarded-For` names the client (empty: nobody's). */
  trustedProxies: TrustedProxies;
  /** How long one collected `/status` answers every caller. */
  statusCacheMs: number;
  /** Per authenticated principal (token `sub`), per gateway replica. */
  rateLimitPerMinute: number;
  /** Per client address for requests without a valid token, per gateway replica. */
  anonymousRateLimitPerMinute: number;
}

export interface GatewayDependencies {
  staffTokens: TokenVerifier;
}

const csvCallTimeoutMs = 10 * 60_000;

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  sendJsonText(response, status, JSON.stringify(body));
}

function sendJsonText(response: ServerResponse, status: number, json: string): void {
  response.statusCode = status;
  response.setHeader('content-type', 'application/json; charset=utf-8');
  response.end(json);
}

/** The staff caller of an admin route, checked against the permission the contract names. */
function authorizeStaff(request: IncomingMessage, binding: HttpBinding) {
  const principal = (request as StaffRequest).principal;
  if (!principal) throw unauthenticated('missing_token');
  if (binding.audience !== 'staff') throw new Error(`${binding.path} is not a staff route`);
  if (!principal.permissions.has(binding.permission)) throw lacksPermission(binding.permission);
  return { kind: 'staff' as const, userId: principal.userId };
}

/**
 * Whether a `/status` caller may see nodes, versions and dependencies: a valid staff token with any
 * staff role. No token is the public view; a token that fails is 401 like anywhere else.
 */
async function showsStatusDetails(request: IncomingMessage, verifier: TokenVerifier): Promise<boolean> {
  const token = bearerTokenOf(request);
  if (!token) return false;
  return hasStaffRole((await verifier.verify(token)).roles);
}

/**
 * The only HTTP surface. Under /api/v1: public `status`, `openapi.json` and `asyncapi.json`, and
 * the staff API `/admin/*` generated from the action contracts (portal routes arrive with their
 * issue, as a third route with its own authentication beside the staff one).
 */
export function gatewayService(
  settings: GatewaySettings,
  readiness: Record<string, ReadinessCheck>,
  dependencies: GatewayDependencies,
): moleculer.ServiceSchema {
  const anonymousLimiter = tokenBucketLimiter({ perMinute: settings.anonymousRateLimitPerMinute });
  const principalLimiter = tokenBucketLimiter({ perMinute: settings.rateLimitPerMinute });
  const openApiDocument = JSON.stringify(buildOpenApiDocument({ version: serviceVersion }));
  const asyncApiDocument = JSON.stringify(buildAsyncApiDocument({ version: serviceVersion }));

  const systemStatus = cachedStatus((caller) => collectSystemStatus(caller), { ttlMs: settings.statusCacheMs });

  const publicAliases: NonNullable<ApiRouteSchema['aliases']> = {
    'GET status'(
      this: moleculer.Service,
      request: IncomingMessage,
      response: ServerResponse,
      next: (error?: Error) => void,
    ) {
      Promise.all([systemStatus(this.broker), showsStatusDetails(request, dependencies.staffTokens)]).then(
        ([status, details]) =>
          sendJson(response, status.status === 'ok' ? 200 : 503, details ? status : publicStatusOf(status)),
        next,
      );
    },
    'GET openapi.json'(_request: IncomingMessage, response: ServerResponse) {
      sendJsonText(response, 200, openApiDocument);
    },
    'GET asyncapi.json'(_request: IncomingMessage, response: ServerResponse) {
      sendJsonText(response, 200, asyncApiDocument);
    },
  };
  const publicRoute: ApiRouteSchema = {
    name: 'public',
    path: apiPrefix,
    mappingPolicy: 'restrict',
    bodyParsers: false,
    use: [anonymousRateLimit(anonymousLimiter), methodGuard(methodTableOf(apiPrefix, publicAliases))],
    aliases: publicAliases,
  };

  const staffAliases = contractAliases('staff', {
    jsonBodyLimitBytes: settings.jsonBodyLimitBytes,
    csvBodyLimitBytes: settings.csvBodyLimitBytes,
    csvCallTimeoutMs,
    authorize: authorizeStaff,
  });
  const staffPath = `${apiPrefix}/admin`;
  const staffRoute: ApiRouteSchema = {
    name: 'staff',
    path: staffPath,
    mappingPolicy: 'restrict',
    // Bodies are read by the handlers, after authentication and with per-route limits and media types.
    bodyParsers: false,
    // Authentication first: a wrong method (405) or OPTIONS tells a stranger no more than a 404 would.
    use: [
      staffAuthMiddleware({ verifier: dependencies.staffTokens, principalLimiter, anonymousLimiter }),
      methodGuard(methodTableOf(staffPath, staffAliases)),
    ],
    aliases: staffAliases,
  };

  // moleculer-web's settings type lives beside the ServiceSchema one; checked here, widened below.
  const apiSettings: ApiSettingsSchema = {
    port: settings.port,
    ip: settings.host,
    use: [assignRequestId, setSecurityHeaders, assignClientAddress(settings.trustedProxies)],
    routes: [publicRoute, staffRoute],
    onError(request: IncomingMessage, response: ServerResponse, error: Error) {
      const { status, body, headers } = toErrorResponse(error, requestIdOf(request));
      if (status >= 500) {
        const logger = (this as unknown as moleculer.Service).logger;
        const url = (request as { originalUrl?: string }).originalUrl ?? request.url;
        logger.error(`${request.method} ${url} failed: ${error.name}: ${error.message}`, error.stack);
      }
      if (response.headersSent) {
        response.destroy();
        return;
      }
      for (const [name, value] of Object.entries(headers ?? {})) response.setHeader(name, value);
      sendJson(response, status, body);
    },
  };
  return {
    name: 'gateway',
    mixins: [ApiGateway],
    settings: apiSettings as moleculer.ServiceSettingSchema,
    actions: {
      status: statusActionOf('gateway', readiness, serviceVersion),
      // moleculer-web's own actions would let any node on the bus change or list the HTTP routes
      // (`addRoute`, `removeRoute` are public); `false` removes them. The HTTP handler `rest` stays
      // private (never registered, so no other node can call it).
      addRoute: false,
      removeRoute: false,
      listAliases: false,
    },
    methods: {
      // Every error goes to `onError` (and its one log line); moleculer-web would log 5xx twice.
      errorHandler(request: IncomingMessage, response: ServerResponse, error: Error) {
        (this as unknown as { sendError(q: IncomingMessage, s: ServerResponse, e: Error): void }).sendError(
          request,
          response,
          error,
        );
      },
    },
  };
}
