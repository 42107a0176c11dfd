import * as oidc from 'openid-client';
import type { RevocationRealm } from '@portal/kit';

/** What the gateway keeps of a token response (all of it secret). */
export interface OidcTokens {
  accessToken: string;
  refreshToken: string | null;
  idToken: string | null;
  /** When the access token expires. */
  accessExpiresAt: Date;
  /** When the refresh token expires (Keycloak's idle or absolute SSO limit); null when Keycloak gave none. */
  refreshExpiresAt: Date | null;
}

/** The ID token's facts the session keeps. */
export interface IdTokenFacts {
  subject: string;
  /** Keycloak's SSO session (`sid`): what a back-channel logout names. */
  sid: string | null;
  username: string | null;
  name: string | null;
  email: string | null;
}

export interface AuthorizationRequest {
  url: string;
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** The gateway as confidential OIDC client `portal-gateway` of one realm: code flow with PKCE, refresh, logout URL. */
export interface RealmOidcClient {
  authorizationRequest(redirectUri: string): Promise<AuthorizationRequest>;
  /** Checks `state` and `iss`, exchanges the code (client secret + PKCE verifier), checks the ID token and its nonce. */
  exchangeCode(
    callbackUrl: URL,
    expected: { state: string; nonce: string; codeVerifier: string },
  ): Promise<{ tokens: OidcTokens; identity: IdTokenFacts }>;
  refresh(refreshToken: string): Promise<OidcTokens>;
  endSessionUrl(parameters: { idTokenHint: string | null; postLogoutRedirectUri: string }): string;
}

export interface RealmOidcOptions {
  realm: RevocationRealm;
  /** Where the gateway reaches Keycloak (token endpoint, keys). */
  keycloakUrl: string;
  /** Keycloak as browsers reach it and as tokens name it (`iss`); KEYCLOAK_URL when unset. */
  publicKeycloakUrl?: string;
  clientId: string;
  clientSecret: string;
}

const base = (url: string) => url.replace(/\/+$/, '');

/**
 * Keycloak's endpoints are fixed paths under its realm, so the configuration is built rather than
 * discovered: no request at start, and the browser-facing endpoints (authorize, logout) use the
 * public URL while the gateway's own calls (token) go to KEYCLOAK_URL.
 */
export function realmOidcClient(options: RealmOidcOptions): RealmOidcClient {
  const internal = `${base(options.keycloakUrl)}/realms/${options.realm}`;
  const issuer = `${base(options.publicKeycloakUrl ?? options.keycloakUrl)}/realms/${options.realm}`;
  const config = new oidc.Configuration(
    {
      issuer,
      authorization_endpoint: `${issuer}/protocol/openid-connect/auth`,
      token_endpoint: `${internal}/protocol/openid-connect/token`,
      jwks_uri: `${internal}/protocol/openid-connect/certs`,
      end_session_endpoint: `${issuer}/protocol/openid-connect/logout`,
      authorization_response_iss_parameter_supported: true,
      id_token_signing_alg_values_supported: ['RS256'],
    },
    options.clientId,
    { client_secret: options.clientSecret, id_token_signed_response_alg: 'RS256' },
    oidc.ClientSecretPost(options.clientSecret),
  );
  config.timeout = 10;
  if (new URL(internal).protocol === 'http:' || new URL(issuer).protocol === 'http:') {
    // Development and tests: Keycloak on plain http on this machine.
    oidc.allowInsecureRequests(config);
  }

  const tokensOf = (response: oidc.TokenEndpointResponse): OidcTokens => {
    const now = Date.now();
    const refreshExpiresIn = (response as { refresh_expires_in?: unknown }).refresh_expires_in;
    return {
      accessToken: response.access_token,
      refreshToken: response.refresh_token ?? null,
      idToken: response.id_token ?? null,
      accessExpiresAt: new Date(now + (response.expires_in ?? 60) * 1000),
      // Keycloak says 0 for a refresh token without expiry (offline access): keep it as "none".
      refreshExpiresAt:
        response.refresh_token && typeof refreshExpiresIn === 'number' && refreshExpiresIn > 0
          ? new Date(now + refreshExpiresIn * 1000)
          : null,
    };
  };
  const text = (value: unknown) => (typeof value === 'string' && value.length > 0 ? value : null);

  return {
    async authorizationRequest(redirectUri) {
      const codeVerifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        response_type: 'code',
        scope: 'openid profile email',
        code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      });
      return { url: url.href, state, nonce, codeVerifier };
    },
    async exchangeCode(callbackUrl, expected) {
      const response = await oidc.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: expected.codeVerifier,
        expectedState: expected.state,
        expectedNonce: expected.nonce,
        idTokenExpected: true,
      });
      const claims = response.claims();
      if (!claims) throw new Error('the token response has no ID token');
      return {
        tokens: tokensOf(response),
        identity: {
          subject: claims.sub,
          sid: text(claims['sid']),
          username: text(claims['preferred_username']),
          name: text(claims['name']),
          email: text(claims['email']),
        },
      };
    },
    async refresh(refreshToken) {
      const response = await oidc.refreshTokenGrant(config, refreshToken);
      const tokens = tokensOf(response);
      // Keycloak rotates refresh tokens (revokeRefreshToken); keep the old one only if it sent none.
      return { ...tokens, refreshToken: tokens.refreshToken ?? refreshToken };
    },
    endSessionUrl({ idTokenHint, postLogoutRedirectUri }) {
      return oidc.buildEndSessionUrl(config, {
        client_id: options.clientId,
        post_logout_redirect_uri: postLogoutRedirectUri,
        ...(idTokenHint ? { id_token_hint: idTokenHint } : {}),
      }).href;
    },
  };
}

/** Keycloak refused the grant for good (refresh token expired, revoked, session gone): the session is over. */
export const isInvalidGrant = (error: unknown): boolean =>
  error instanceof oidc.ResponseBodyError && (error.error === 'invalid_grant' || error.error === 'unauthorized_client');
