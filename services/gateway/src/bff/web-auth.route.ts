import type { IncomingMessage, ServerResponse } from 'node:http';
import type moleculer from 'moleculer';
import type { ApiRouteSchema } from 'moleculer-web';
import {
  staffRoles,
  webApps,
  type PortalWebSession,
  type StaffRole,
  type StaffWebSession,
  type WebApp,
  type WebLogout,
} from '@portal/contracts';
import { DomainError } from '@portal/kit';
import type { TokenVerifier, VerifiedToken } from '../adapters/realm-token.verifier.ts';
import type { LogoutClaims } from '../adapters/logout-token.verifier.ts';
import { permissionsOfRoles } from '../auth/staff-permissions.ts';
import { gatewayError, rateLimited } from '../errors.ts';
import type { RequestWithClientAddress } from '../http/client-address.ts';
import { methodGuard, methodTableOf } from '../http/method-guard.ts';
import { chargeClientAddress } from '../http/rate-limit.middleware.ts';
import type { RateLimiter } from '../http/rate-limiter.ts';
import { mediaTypeOf, readBodyWithin } from '../http/request-body.ts';
import { requestIdOf } from '../http/request-id.ts';
import { csrfVerdict } from './csrf.rules.ts';
import {
  clearSessionCookie,
  sessionCookieOf,
  sessionIdFromCookieHeader,
  setSessionCookie,
  type SessionCookie,
} from './session-cookie.ts';
import { sendSignedInPage, sendSignInFailedPage } from './web-auth.pages.ts';
import { webAppRealms } from './web-apps.ts';
import { LoginFailure, type ActiveSession, type WebSessions } from './web-sessions.ts';

export const webAuthPath = '/auth';

export interface WebAuthDependencies {
  sessions: WebSessions;
  /** PORTAL_PUBLIC_URL without a trailing slash. */
  publicUrl: string;
  /** The API's verifier per app: the session's access token passes the same checks as a bearer token. */
  verifiers: Record<WebApp, TokenVerifier>;
  logoutTokens: Record<WebApp, { verify(token: string): Promise<LogoutClaims> }>;
  anonymousLimiter: RateLimiter;
  principalLimiter: RateLimiter;
}

/** The cookie, CSRF and session rules of the web UIs, shared by `/auth` and the API routes. */
export function webAuth(deps: WebAuthDependencies) {
  const publicOrigin = new URL(deps.publicUrl).origin;
  const cookies = Object.fromEntries(webApps.map((app) => [app, sessionCookieOf(app, deps.publicUrl)])) as Record<
    WebApp,
    SessionCookie
  >;
  const sessionIdOf = (request: IncomingMessage, app: WebApp) =>
    sessionIdFromCookieHeader(request.headers.cookie, cookies[app]);
  const refuseCrossSite = (request: IncomingMessage) => {
    const verdict = csrfVerdict({ method: request.method ?? 'GET', headers: request.headers, publicOrigin });
    if (!verdict.allowed) throw gatewayError('CSRF_REFUSED', { details: { reason: verdict.reason } });
  };
  const sessionEnded = (response: ServerResponse, app: WebApp) => {
    response.setHeader('set-cookie', clearSessionCookie(cookies[app]));
    return gatewayError('UNAUTHENTICATED', {
      message: 'You are not signed in, or your session has ended; sign in again.',
      details: { reason: 'missing_token' },
    });
  };
  const isUnauthenticated = (error: unknown) => error instanceof DomainError && error.type === 'UNAUTHENTICATED';

  /** The session's access token, checked by the API's verifier; a refused one ends the session. */
  async function verifiedSession(
    app: WebApp,
    session: ActiveSession,
    response: ServerResponse,
  ): Promise<VerifiedToken> {
    try {
      return await deps.verifiers[app].verify(session.accessToken);
    } catch (error) {
      if (!isUnauthenticated(error)) throw error;
      await deps.sessions.end(session.row);
      throw sessionEnded(response, app);
    }
  }

  /**
   * In front of an API route's bearer authentication: a request without `Authorization` that carries
   * the app's session cookie is checked for CSRF (writes), then gets the session's access token as
   * its bearer token, so permissions, revocation and rate limits work exactly as for API clients. A
   * request with `Authorization` ignores cookies entirely.
   */
  function apiMiddleware<R extends RequestWithClientAddress>(
    app: WebApp,
    authenticate: (request: R, response: ServerResponse, next: (error?: Error) => void) => void,
  ) {
    return (request: R, response: ServerResponse, next: (error?: Error) => void): void => {
      if (request.headers.authorization !== undefined) return authenticate(request, response, next);
      const sessionId = sessionIdOf(request, app);
      if (!sessionId) return authenticate(request, response, next);
      (async () => {
        refuseCrossSite(request);
        const session = await deps.sessions.activeSession(app, sessionId);
        if (!session) {
          chargeClientAddress(request, deps.anonymousLimiter);
          throw sessionEnded(response, app);
        }
        request.headers.authorization = `Bearer ${session.accessToken}`;
        return session;
      })().then(
        (session) =>
          authenticate(request, response, (error?: Error) => {
            if (!error || !isUnauthenticated(error)) return next(error);
            deps.sessions.end(session.row).then(
              () => next(sessionEnded(response, app)),
              (failure: Error) => next(failure),
            );
          }),
        (error: Error) => next(error),
      );
    };
  }

  /** Runs an `/auth` handler; its errors go to the gateway's error format. */
  const handler =
    (work: (request: RequestWithClientAddress, response: ServerResponse) => Promise<void>) =>
    (request: RequestWithClientAddress, response: ServerResponse, next: (error?: Error) => void) => {
      work(request, response).catch((error: Error) => next(error));
    };
  const queryOf = (request: IncomingMessage) => {
    const url = (request as { originalUrl?: string }).originalUrl ?? request.url ?? '';
    return new URLSearchParams(url.includes('?') ? url.slice(url.indexOf('?') + 1) : '');
  };
  const single = (query: URLSearchParams, name: string) => (query.getAll(name).length === 1 ? query.get(name) : null);

  const aliases: NonNullable<ApiRouteSchema['aliases']> = {};
  for (const app of webApps) {
    const loginPath = `${webAuthPath}/${app}/login`;

    aliases[`GET ${app}/login`] = handler(async (request, response) => {
      chargeClientAddress(request, deps.anonymousLimiter);
      const location = await deps.sessions.beginLogin(app, single(queryOf(request), 'returnTo'));
      response.statusCode = 302;
      response.setHeader('location', location);
      response.end();
    });

    aliases[`GET ${app}/callback`] = handler(async (request, response) => {
      chargeClientAddress(request, deps.anonymousLimiter);
      try {
        const { sessionId, returnTo } = await deps.sessions.completeLogin(app, queryOf(request), (token) =>
          deps.verifiers[app].verify(token),
        );
        response.setHeader('set-cookie', setSessionCookie(cookies[app], sessionId));
        sendSignedInPage(response, returnTo);
      } catch (error) {
        const failure = error instanceof LoginFailure ? error.reason : 'unavailable';
        sendSignInFailedPage(response, failure === 'unavailable' ? 503 : 400, failure, loginPath, requestIdOf(request));
      }
    });

    aliases[`GET ${app}/session`] = handler(async (request, response) => {
      const sessionId = sessionIdOf(request, app);
      const session = sessionId ? await deps.sessions.activeSession(app, sessionId) : null;
      if (!session) {
        chargeClientAddress(request, deps.anonymousLimiter);
        throw sessionEnded(response, app);
      }
      const verified = await verifiedSession(app, session, response);
      const decision = deps.principalLimiter.take(`${verified.realm}:${verified.subject}`);
      if (!decision.allowed) throw rateLimited(decision.retryAfterSeconds);
      const { profile } = session.row;
      const user = {
        id: verified.subject,
        username: profile.username ?? verified.username,
        name: profile.name,
        email: profile.email,
      };
      const body: StaffWebSession | PortalWebSession =
        app === 'admin'
          ? {
              user,
              roles: verified.roles.filter((role): role is StaffRole =>
                (staffRoles as readonly string[]).includes(role),
              ),
              permissions: [...permissionsOfRoles(verified.roles)],
            }
          : { user };
      sendJson(response, 200, body);
    });

    aliases[`POST ${app}/logout`] = handler(async (request, response) => {
      chargeClientAddress(request, deps.anonymousLimiter);
      refuseCrossSite(request);
      const logoutUrl = await deps.sessions.logout(app, sessionIdOf(request, app));
      response.setHeader('set-cookie', clearSessionCookie(cookies[app]));
      sendJson(response, 200, { logoutUrl } satisfies WebLogout);
    });

    // Keycloak's server-to-server call (OIDC Back-Channel Logout): no cookie, no CSRF rule; the
    // signed logout token is the proof.
    aliases[`POST ${app}/backchannel-logout`] = handler(async (request, response) => {
      if (mediaTypeOf(request) !== 'application/x-www-form-urlencoded') {
        throw gatewayError('UNSUPPORTED_MEDIA_TYPE', { details: { expected: 'application/x-www-form-urlencoded' } });
      }
      const form = new URLSearchParams((await readBodyWithin(request, 16 * 1024)).toString('utf8'));
      const token = single(form, 'logout_token');
      let claims: LogoutClaims;
      try {
        if (!token) throw new Error('no logout_token');
        claims = await deps.logoutTokens[app].verify(token);
      } catch {
        chargeClientAddress(request, deps.anonymousLimiter);
        throw gatewayError('BAD_REQUEST', { message: 'The logout token is missing or not valid.' });
      }
      const ended = await deps.sessions.backchannelLogout(app, claims);
      (request as { $service?: moleculer.Service }).$service?.logger.info(
        `back-channel logout of realm ${webAppRealms[app]}: ${ended} web session(s) ended`,
      );
      response.statusCode = 200;
      response.end();
    });
  }

  const route: ApiRouteSchema = {
    name: 'web-auth',
    path: webAuthPath,
    mappingPolicy: 'restrict',
    bodyParsers: false,
    // moleculer-web logs each request line with its query: a callback's carries the code and state.
    logging: false,
    use: [methodGuard(methodTableOf(webAuthPath, aliases))],
    aliases,
  };

  return { route, apiMiddleware, cookies };
}

export type WebAuth = ReturnType<typeof webAuth>;

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.statusCode = status;
  response.setHeader('content-type', 'application/json; charset=utf-8');
  response.end(JSON.stringify(body));
}
