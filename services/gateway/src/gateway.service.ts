import type { IncomingMessage, ServerResponse } from 'node:http';
import type moleculer from 'moleculer';
import ApiGateway, { type ApiRouteSchema, type ApiSettingsSchema } from 'moleculer-web';
import type { HttpBinding } from '@portal/contracts';
import { statusActionOf, type ReadinessCheck } from '@portal/kit';
import type { TokenVerifier } from './adapters/staff-token.verifier.ts';
import { buildAsyncApiDocument } from './asyncapi/asyncapi.builder.ts';
import { staffAuthMiddleware, type StaffRequest } from './auth/staff-auth.middleware.ts';
import { lacksPermission, unauthenticated } from './errors.ts';
import { assignClientAddress } from './http/client-address.ts';
import { contractAliases } from './http/contract-routes.builder.ts';
import { toErrorResponse } from './http/error-response.ts';
import { anonymousRateLimit } from './http/rate-limit.middleware.ts';
import { tokenBucketLimiter } from './http/rate-limiter.ts';
import { apiPrefix } from './http/request-params.ts';
import { assignRequestId, requestIdOf } from './http/request-id.ts';
import { setSecurityHeaders } from './http/security-headers.ts';
import { buildOpenApiDocument } from './openapi/openapi.builder.ts';
import { collectSystemStatus } from './system-status.ts';
import { serviceVersion } from './version.ts';

export interface GatewaySettings {
  host: string;
  port: number;
  jsonBodyLimitBytes: number;
  csvBodyLimitBytes: number;
  /** Take the client address from `X-Forwarded-For` (set by a proxy we trust). */
  trustProxy: boolean;
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
  if (!principal.permissions.has(binding.permission)) throw lacksPermission(binding.permission);
  return { kind: 'staff' as const, userId: principal.userId };
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

  const publicRoute: ApiRouteSchema = {
    name: 'public',
    path: apiPrefix,
    mappingPolicy: 'restrict',
    bodyParsers: false,
    use: [anonymousRateLimit(anonymousLimiter)],
    aliases: {
      'GET status'(
        this: moleculer.Service,
        _request: IncomingMessage,
        response: ServerResponse,
        next: (error?: Error) => void,
      ) {
        collectSystemStatus(this.broker).then(
          (status) => sendJson(response, status.status === 'ok' ? 200 : 503, status),
          next,
        );
      },
      'GET openapi.json'(_request: IncomingMessage, response: ServerResponse) {
        sendJsonText(response, 200, openApiDocument);
      },
      'GET asyncapi.json'(_request: IncomingMessage, response: ServerResponse) {
        sendJsonText(response, 200, asyncApiDocument);
      },
    },
  };

  const staffRoute: ApiRouteSchema = {
    name: 'staff',
    path: `${apiPrefix}/admin`,
    mappingPolicy: 'restrict',
    // Bodies are read by the handlers, after authentication and with per-route limits and media types.
    bodyParsers: false,
    use: [staffAuthMiddleware({ verifier: dependencies.staffTokens, principalLimiter, anonymousLimiter })],
    aliases: contractAliases('staff', {
      jsonBodyLimitBytes: settings.jsonBodyLimitBytes,
      csvBodyLimitBytes: settings.csvBodyLimitBytes,
      csvCallTimeoutMs,
      authorize: authorizeStaff,
    }),
  };

  // moleculer-web's settings type lives beside the ServiceSchema one; checked here, widened below.
  const apiSettings: ApiSettingsSchema = {
    port: settings.port,
    ip: settings.host,
    use: [assignRequestId, setSecurityHeaders, assignClientAddress(settings.trustProxy)],
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
