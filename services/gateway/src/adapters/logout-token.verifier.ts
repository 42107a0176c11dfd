import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';

/** What a valid back-channel logout token names: a Keycloak SSO session and/or its user. */
export interface LogoutClaims {
  sid: string | null;
  subject: string | null;
}

const backchannelLogoutEvent = 'http://schemas.openid.net/event/backchannel-logout';

export interface LogoutTokenVerifierOptions {
  realm: string;
  keycloakUrl: string;
  issuerBaseUrl?: string;
  /** The client the token is addressed to: `portal-gateway`. */
  clientId: string;
  keys?: JWTVerifyGetKey;
}

/**
 * OpenID Connect Back-Channel Logout 1.0 §2.6: signed by the realm's keys, issuer and audience
 * right, `iat` present, the back-channel logout event, `sid` or `sub`, and never a `nonce` (so an
 * ID token cannot be replayed as one).
 */
export function logoutTokenVerifier(options: LogoutTokenVerifierOptions) {
  const base = (url: string) => url.replace(/\/+$/, '');
  const issuer = `${base(options.issuerBaseUrl ?? options.keycloakUrl)}/realms/${options.realm}`;
  const keys =
    options.keys ??
    createRemoteJWKSet(new URL(`${base(options.keycloakUrl)}/realms/${options.realm}/protocol/openid-connect/certs`), {
      timeoutDuration: 5_000,
    });
  return {
    async verify(token: string): Promise<LogoutClaims> {
      const { payload } = await jwtVerify(token, keys, {
        issuer,
        audience: options.clientId,
        algorithms: ['RS256'],
        clockTolerance: 5,
        requiredClaims: ['iat'],
      });
      const events = payload['events'];
      if (typeof events !== 'object' || events === null || !(backchannelLogoutEvent in events)) {
        throw new Error('not a back-channel logout token');
      }
      if ('nonce' in payload) throw new Error('a logout token never has a nonce');
      const sid = typeof payload['sid'] === 'string' ? payload['sid'] : null;
      const subject = typeof payload.sub === 'string' ? payload.sub : null;
      if (!sid && !subject) throw new Error('a logout token names a session or a subject');
      return { sid, subject };
    },
  };
}
