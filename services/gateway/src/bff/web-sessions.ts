import { randomBytes } from 'node:crypto';
import type { WebApp } from '@portal/contracts';
import type { RevocationRealm } from '@portal/kit';
import { isInvalidGrant, type OidcTokens, type RealmOidcClient } from '../adapters/keycloak-oidc.adapter.ts';
import type { LogoutClaims } from '../adapters/logout-token.verifier.ts';
import { identityProviderUnavailable } from '../errors.ts';
import { sanitizeReturnTo } from './return-to.rules.ts';
import { singleFlight } from './single-flight.ts';
import type { TokenCipher } from './token-cipher.ts';
import { webAppRealms } from './web-apps.ts';
import { hashOf, type SessionTokens, type WebSessionRow, type WebSessionStore } from './web-session.store.ts';

/** A sign-in that cannot complete: the callback page says so and offers to sign in again. */
export class LoginFailure extends Error {
  readonly reason: 'unknown_state' | 'denied' | 'rejected';
  constructor(reason: 'unknown_state' | 'denied' | 'rejected') {
    super(`sign-in failed: ${reason}`);
    this.name = 'LoginFailure';
    this.reason = reason;
  }
}

export interface WebSessionsOptions {
  store: WebSessionStore;
  cipher: TokenCipher;
  oidc: Record<WebApp, RealmOidcClient>;
  /** PORTAL_PUBLIC_URL without a trailing slash: callbacks and post-logout redirects are under it. */
  publicUrl: string;
  /** The revocation list as the gateway watches it. */
  revocations: { revokedAt(realm: RevocationRealm, subject: string): number | undefined };
  /** Refresh when the access token expires within this (default 30 s). */
  refreshMarginMs?: number;
  /** How long a started sign-in may take (default 10 min). */
  pendingLoginSeconds?: number;
  now?: () => number;
}

/** A live session and the access token to put in front of the API's own authentication. */
export interface ActiveSession {
  row: WebSessionRow;
  accessToken: string;
}

const sealContext = (idHash: string, column: 'access' | 'refresh' | 'id') => `web_session:${idHash}:${column}`;
const verifierContext = (stateHash: string) => `web_login:${stateHash}:verifier`;

/**
 * The web UIs' sessions: sign-in with the code flow (the pending login kept in PostgreSQL, single
 * use), tokens kept encrypted server-side, refreshed before they expire (once per session at a time,
 * in this process by single flight and across replicas by a row lock), ended by logout, Keycloak's
 * back-channel logout, a refused refresh, or a revocation.
 */
export function webSessions(options: WebSessionsOptions) {
  const { store, cipher } = options;
  const now = options.now ?? Date.now;
  const marginMs = options.refreshMarginMs ?? 30_000;
  const refreshes = singleFlight<WebSessionRow | null>();
  const redirectUriOf = (app: WebApp) => `${options.publicUrl}/auth/${app}/callback`;

  const seal = (idHash: string, tokens: OidcTokens, previous?: WebSessionRow): SessionTokens => ({
    accessTokenSealed: cipher.encrypt(tokens.accessToken, sealContext(idHash, 'access')),
    refreshTokenSealed: tokens.refreshToken
      ? cipher.encrypt(tokens.refreshToken, sealContext(idHash, 'refresh'))
      : null,
    idTokenSealed: tokens.idToken
      ? cipher.encrypt(tokens.idToken, sealContext(idHash, 'id'))
      : (previous?.idTokenSealed ?? null),
    accessExpiresAt: tokens.accessExpiresAt,
    refreshExpiresAt: tokens.refreshExpiresAt,
  });

  /** Revoked after this session began: every session of the login up to the revocation ends. */
  async function endedByRevocation(row: WebSessionRow): Promise<boolean> {
    const revokedAt = options.revocations.revokedAt(row.realm, row.subject);
    if (revokedAt === undefined || row.createdAt.getTime() > revokedAt) return false;
    await store.deleteBySubject(row.realm, row.subject, new Date(revokedAt));
    return true;
  }

  async function refreshed(row: WebSessionRow): Promise<WebSessionRow | null> {
    return refreshes.run(row.idHash, async () => {
      try {
        return await store.withLockedSession(row.idHash, async (locked) => {
          // Another replica (or an earlier flight) refreshed it meanwhile: use what it stored.
          if (locked.accessExpiresAt.getTime() - now() > marginMs) return null;
          if (!locked.refreshTokenSealed) throw new SessionOver();
          const refreshToken = cipher.decrypt(locked.refreshTokenSealed, sealContext(locked.idHash, 'refresh'));
          return seal(locked.idHash, await options.oidc[locked.app].refresh(refreshToken), locked);
        });
      } catch (error) {
        if (error instanceof SessionOver || isInvalidGrant(error)) {
          await store.delete(row.idHash);
          return null;
        }
        throw identityProviderUnavailable();
      }
    });
  }

  return {
    /** Starts a sign-in: the authorization URL to redirect to; the pending login is stored. */
    async beginLogin(app: WebApp, returnTo: string | null | undefined): Promise<string> {
      const request = await options.oidc[app].authorizationRequest(redirectUriOf(app));
      const stateHash = hashOf(request.state);
      await store.savePendingLogin(
        stateHash,
        {
          app,
          codeVerifierSealed: cipher.encrypt(request.codeVerifier, verifierContext(stateHash)),
          nonce: request.nonce,
          returnTo: sanitizeReturnTo(app, returnTo),
        },
        options.pendingLoginSeconds ?? 600,
      );
      return request.url;
    },

    /** Completes a sign-in from Keycloak's redirect; answers the new session id (the cookie) and where to go. */
    async completeLogin(
      app: WebApp,
      query: URLSearchParams,
      verifyAccessToken: (token: string) => Promise<unknown>,
    ): Promise<{ sessionId: string; returnTo: string }> {
      const state = query.get('state');
      if (!state) throw new LoginFailure('unknown_state');
      const stateHash = hashOf(state);
      // Taken (deleted) first, also when Keycloak reports an error: a state is good for one answer.
      const pending = await store.takePendingLogin(stateHash, app);
      if (!pending) throw new LoginFailure('unknown_state');
      if (query.has('error')) throw new LoginFailure('denied');
      const callbackUrl = new URL(redirectUriOf(app));
      for (const [name, value] of query) callbackUrl.searchParams.append(name, value);
      let exchanged: Awaited<ReturnType<RealmOidcClient['exchangeCode']>>;
      try {
        exchanged = await options.oidc[app].exchangeCode(callbackUrl, {
          state,
          nonce: pending.nonce,
          codeVerifier: cipher.decrypt(pending.codeVerifierSealed, verifierContext(stateHash)),
        });
      } catch (error) {
        if (
          error instanceof Error &&
          'code' in error &&
          typeof error.code === 'string' &&
          error.code.startsWith('OAUTH_')
        ) {
          throw new LoginFailure('rejected');
        }
        throw identityProviderUnavailable();
      }
      // The API's own checks (realm audience, allowed client, not revoked) before any session exists.
      try {
        await verifyAccessToken(exchanged.tokens.accessToken);
      } catch {
        throw new LoginFailure('rejected');
      }
      const sessionId = randomBytes(32).toString('base64url');
      const idHash = hashOf(sessionId);
      const { identity } = exchanged;
      await store.create({
        idHash,
        app,
        realm: webAppRealms[app],
        subject: identity.subject,
        keycloakSid: identity.sid,
        profile: { username: identity.username, name: identity.name, email: identity.email },
        ...seal(idHash, exchanged.tokens),
      });
      return { sessionId, returnTo: pending.returnTo };
    },

    /**
     * The session of a cookie with a usable access token (refreshed when it expires within the
     * margin), or null: unknown, expired, revoked, or Keycloak refused the refresh (then deleted).
     */
    async activeSession(app: WebApp, sessionId: string): Promise<ActiveSession | null> {
      let row = await store.find(hashOf(sessionId), app);
      if (!row) return null;
      if (await endedByRevocation(row)) return null;
      if (row.accessExpiresAt.getTime() - now() <= marginMs) {
        row = await refreshed(row);
        if (!row) return null;
      }
      return { row, accessToken: cipher.decrypt(row.accessTokenSealed, sealContext(row.idHash, 'access')) };
    },

    /** Ends a session the API's verifier refused (revoked, or otherwise no longer good). */
    async end(row: WebSessionRow): Promise<void> {
      if (!(await endedByRevocation(row))) await store.delete(row.idHash);
    },

    /** Deletes the session; answers Keycloak's end-session URL so the SSO session ends too. */
    async logout(app: WebApp, sessionId: string | null): Promise<string> {
      const row = sessionId ? await store.delete(hashOf(sessionId)) : null;
      const idToken =
        row?.app === app && row.idTokenSealed ? cipher.decrypt(row.idTokenSealed, sealContext(row.idHash, 'id')) : null;
      return options.oidc[app].endSessionUrl({
        idTokenHint: idToken,
        postLogoutRedirectUri: `${options.publicUrl}/${app}/`,
      });
    },

    /** Keycloak ended an SSO session (or all of a user's): its gateway sessions end with it. */
    async backchannelLogout(app: WebApp, claims: LogoutClaims): Promise<number> {
      const realm = webAppRealms[app];
      if (claims.sid) return store.deleteByKeycloakSid(realm, claims.sid);
      return claims.subject ? store.deleteBySubject(realm, claims.subject) : 0;
    },

    /** A revocation seen on the list: the login's sessions begun before it end at once. */
    revoked(realm: RevocationRealm, subject: string, revokedAt: number): Promise<number> {
      return store.deleteBySubject(realm, subject, new Date(revokedAt));
    },

    purgeExpired: () => store.purgeExpired(),
    /** Refreshes under way in this process (tests). */
    refreshesInFlight: () => refreshes.size(),
  };
}

export type WebSessions = ReturnType<typeof webSessions>;

class SessionOver extends Error {}
