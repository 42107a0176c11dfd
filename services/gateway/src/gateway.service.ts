import type { IncomingMessage, ServerResponse } from 'node:http';
import type moleculer from 'moleculer';
import ApiGateway, { type ApiRouteSchema, type ApiSettingsSchema } from 'moleculer-web';
import {
  bellStreamPaths,
  notificationCreatedSignal,
  notificationCreatedSignalSchema,
  notificationsReadSignal,
  notificationsReadSignalSchema,
  portalPrincipalsChangedEvent,
  portalPrincipalsChangedSchema,
  type DirectoryErrorCode,
  type HttpBinding,
} from '@portal/contracts';
import {
  call,
  DomainError,
  statusActionOf,
  traceHttpRequest,
  type CallerMeta,
  type HttpMetricsSink,
  type ReadinessCheck,
} from '@portal/kit';
import type { TokenVerifier } from './adapters/realm-token.verifier.ts';
import { buildAsyncApiDocument } from './asyncapi/asyncapi.builder.ts';
import { bellStreamAlias } from './bell/bell-stream.route.ts';
import type { BellStreams } from './bell/bell-streams.ts';
import { webAuth, type WebAuthDependencies } from './bff/web-auth.route.ts';
import { bearerTokenOf } from './auth/bearer-auth.ts';
import { portalAuthMiddleware, type PortalRequest } from './auth/portal-auth.middleware.ts';
import { cachedPortalPrincipals, type PortalPrincipalResolver } from './auth/portal-principals.ts';
import { staffAuthMiddleware, type StaffRequest } from './auth/staff-auth.middleware.ts';
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
import { requestMetrics, routeTemplateOf } from './http/request-metrics.ts';
import { setSecurityHeaders } from './http/security-headers.ts';
import { webAppMiddleware, type WebAppOptions } from './http/web-app.ts';
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
  /** How long a portal login's contact is kept before the directory is asked again (0: every request). */
  principalCacheMs: number;
  /** The two web UIs (`/admin`, `/portal`) and their branding. */
  web: WebAppOptions & { log: { error(message: string): void } };
}

export interface GatewayDependencies {
  /** Realm `staff` tokens for `/admin` (and `/status` details). */
  staffTokens: TokenVerifier;
  /** Realm `portal` tokens for `/portal`. */
  portalTokens: TokenVerifier;
  /** The web UIs' sign-in and sessions (`/auth/{admin,portal}/*`, cookies on the API routes). */
  web: Omit<WebAuthDependencies, 'anonymousLimiter' | 'principalLimiter'>;
  /** This replica's open bell streams (Server-Sent Events). */
  bell: BellStreams;
  /** The process's metrics: every response counted by route template (absent in hand-built tests). */
  metrics?: HttpMetricsSink;
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

/** The contact of a portal route: from the verified token only, never from the request's params. */
function authorizeContact(request: IncomingMessage): CallerMeta['actor'] {
  const principal = (request as PortalRequest).portalPrincipal;
  if (!principal) throw unauthenticated('missing_token');
  return { kind: 'contact', contactId: principal.contactId, userId: principal.userId };
}

/** Public forms have no principal; their calls are recorded as coming from the public API. */
const publicActor: CallerMeta['actor'] = { kind: 'system', component: 'gateway.public' };

/** Who a portal login is, by asking the directory; null when no contact is linked to the login. */
function directoryPrincipalLookup(broker: () => moleculer.ServiceBroker) {
  return async (identityUserId: string) => {
    try {
      return await call(broker(), 'directory.resolvePortalPrincipal', { identityUserId });
    } catch (error) {
      if (error instanceof DomainError && error.type === ('CONTACT_NOT_FOUND' satisfies DirectoryErrorCode)) {
        return null;
      }
      throw error;
    }
  };
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
 * three routes generated from the action contracts, one per audience, each with its own
 * authentication: `/admin/*` (staff token and permission), `/portal/*` (portal token, the contact
 * as principal) and `/public/*` (no token, limited per client address).
 */
export function gatewayService(
  settings: GatewaySettings,
  readiness: Record<string, ReadinessCheck>,
  dependencies: GatewayDependencies,
): moleculer.ServiceSchema {
  const anonymousLimiter = tokenBucketLimiter({ perMinute: settings.anonymousRateLimitPerMinute });
  const principalLimiter = tokenBucketLimiter({ perMinute: settings.rateLimitPerMinute });
  const web = webAuth({ ...dependencies.web, anonymousLimiter, principalLimiter });
  const openApiDocument = JSON.stringify(buildOpenApiDocument({ version: serviceVersion }));
  const asyncApiDocument = JSON.stringify(buildAsyncApiDocument({ version: serviceVersion }));

  let serviceBroker: moleculer.ServiceBroker | undefined;
  const portalPrincipals: PortalPrincipalResolver = cachedPortalPrincipals({
    ttlMs: settings.principalCacheMs,
    lookup: directoryPrincipalLookup(() => {
      if (!serviceBroker) throw new Error('the gateway service has not been created yet');
      return serviceBroker;
    }),
  });

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

  const bodyLimits = {
    jsonBodyLimitBytes: settings.jsonBodyLimitBytes,
    csvBodyLimitBytes: settings.csvBodyLimitBytes,
    csvCallTimeoutMs,
  };
  const staffPath = `${apiPrefix}/admin`;
  const staffAliases = {
    ...contractAliases('staff', { ...bodyLimits, authorize: authorizeStaff }),
    [`GET ${bellStreamPaths.staff.slice('/admin'.length)}`]: bellStreamAlias(dependencies.bell, 'staff'),
  };
  const staffRoute: ApiRouteSchema = {
    name: 'staff',
    path: staffPath,
    mappingPolicy: 'restrict',
    // Bodies are read by the handlers, after authentication and with per-route limits and media types.
    bodyParsers: false,
    // Authentication first: a wrong method (405) or OPTIONS tells a stranger no more than a 404 would.
    use: [
      web.apiMiddleware(
        'admin',
        staffAuthMiddleware({ verifier: dependencies.staffTokens, principalLimiter, anonymousLimiter }),
      ),
      methodGuard(methodTableOf(staffPath, staffAliases)),
    ],
    aliases: staffAliases,
  };

  const portalPath = `${apiPrefix}/portal`;
  const portalAliases = {
    ...contractAliases('portal', { ...bodyLimits, authorize: authorizeContact }),
    [`GET ${bellStreamPaths.portal.slice('/portal'.length)}`]: bellStreamAlias(dependencies.bell, 'portal'),
  };
  const portalRoute: ApiRouteSchema = {
    name: 'portal',
    path: portalPath,
    mappingPolicy: 'restrict',
    bodyParsers: false,
    // As for staff: authentication (token, then the contact) before anything says which paths exist.
    use: [
      web.apiMiddleware(
        'portal',
        portalAuthMiddleware({
          verifier: dependencies.portalTokens,
          principalLimiter,
          anonymousLimiter,
          principals: portalPrincipals,
        }),
      ),
      methodGuard(methodTableOf(portalPath, portalAliases)),
    ],
    aliases: portalAliases,
  };

  const publicFormAliases = contractAliases('public', { ...bodyLimits, authorize: () => publicActor });
  const publicFormsPath = `${apiPrefix}/public`;
  const publicFormsRoute: ApiRouteSchema = {
    name: 'public-forms',
    path: publicFormsPath,
    mappingPolicy: 'restrict',
    bodyParsers: false,
    use: [anonymousRateLimit(anonymousLimiter), methodGuard(methodTableOf(publicFormsPath, publicFormAliases))],
    aliases: publicFormAliases,
  };

  // The web apps, including the portal's public pages behind the login page's links
  // (`/portal/request-access`, `/portal/register`), which the portal app renders without a session.
  const pageAliases: NonNullable<ApiRouteSchema['aliases']> = {};
  const pagesRoute: ApiRouteSchema = {
    name: 'pages',
    path: '/',
    mappingPolicy: 'restrict',
    bodyParsers: false,
    use: [
      // The web apps' pages and hashed assets first, unlimited (served from memory, cached by browsers).
      webAppMiddleware(settings.web, settings.web.log),
      anonymousRateLimit(anonymousLimiter),
      methodGuard(methodTableOf('/', pageAliases)),
    ],
    aliases: pageAliases,
  };

  // moleculer-web's settings type lives beside the ServiceSchema one; checked here, widened below.
  const apiSettings: ApiSettingsSchema = {
    port: settings.port,
    ip: settings.host,
    use: [
      ...(dependencies.metrics ? [requestMetrics(dependencies.metrics)] : []),
      assignRequestId,
      setSecurityHeaders,
      assignClientAddress(settings.trustedProxies),
    ],
    routes: [publicRoute, staffRoute, portalRoute, publicFormsRoute, web.route, pagesRoute],
    onError(request: IncomingMessage, response: ServerResponse, error: Error) {
      const { status, body, headers } = toErrorResponse(error, requestIdOf(request));
      if (status >= 500) {
        const logger = (this as unknown as moleculer.Service).logger;
        const fullUrl = (request as { originalUrl?: string }).originalUrl ?? request.url ?? '';
        // A sign-in callback's query holds an authorization code: never in a log line.
        const url = fullUrl.startsWith('/auth/') ? fullUrl.split('?')[0] : fullUrl;
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
      status: statusActionOf('gateway', readiness, serviceVersion, undefined, () => ({
        'bell.streams': dependencies.bell.count(),
      })),
      // moleculer-web's own actions would let any node on the bus change or list the HTTP routes
      // (`addRoute`, `removeRoute` are public); `false` removes them. The HTTP handler `rest` stays
      // private (never registered, so no other node can call it).
      addRoute: false,
      removeRoute: false,
      listAliases: false,
    },
    events: {
      // A plain broadcast from the directory: cache invalidation only (revocation has its own list).
      [portalPrincipalsChangedEvent](ctx: moleculer.Context) {
        const change = portalPrincipalsChangedSchema.safeParse(ctx.params);
        if (change.success) portalPrincipals.invalidate(change.data);
        else this.logger.warn(`ignored a malformed ${portalPrincipalsChangedEvent} broadcast`);
      },
      // The bell's live signals (plain broadcasts; a lost one is replayed on the stream's reconnect).
      [notificationCreatedSignal](ctx: moleculer.Context) {
        const signal = notificationCreatedSignalSchema.safeParse(ctx.params);
        if (signal.success) dependencies.bell.deliver(signal.data.recipient, signal.data.notification);
        else this.logger.warn(`ignored a malformed ${notificationCreatedSignal} broadcast`);
      },
      [notificationsReadSignal](ctx: moleculer.Context) {
        const signal = notificationsReadSignalSchema.safeParse(ctx.params);
        if (signal.success) dependencies.bell.read(signal.data);
        else this.logger.warn(`ignored a malformed ${notificationsReadSignal} broadcast`);
      },
    },
    created(this: moleculer.Service) {
      serviceBroker = this.broker;
    },
    // Runs before moleculer-web's own `stopped` (mixins stop after): its server.close() waits for
    // open connections, which open streams would hold forever.
    stopped() {
      dependencies.bell.closeAll();
    },
    methods: {
      // The request's server span wraps moleculer-web's whole handling, its `=> GET …` log line
      // included; it is named by the same route template the request metrics count it under.
      httpHandler(request: IncomingMessage, response: ServerResponse, next?: unknown) {
        return traceHttpRequest(request, response, routeTemplateOf, () =>
          (ApiGateway.methods as { httpHandler: (...args: unknown[]) => unknown }).httpHandler.call(
            this,
            request,
            response,
            next,
          ),
        );
      },
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
