import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { DomainError } from '@portal/kit';
import { identityProviderUnavailable, unauthenticated } from '../errors.ts';

/** The client id Keycloak's audience mapper puts into `aud` of every token meant for the gateway. */
export const gatewayTokenAudience = 'portal-gateway';

/** Who a verified access token speaks for. */
export interface VerifiedToken {
  realm: 'staff' | 'portal';
  /** The Keycloak user id (`sub`). */
  subject: string;
  /** Realm roles (`realm_access.roles`). */
  roles: readonly string[];
  username: string | null;
}

/** Checks a bearer token; throws 401 `UNAUTHENTICATED` for a bad one and 503 when keys cannot be fetched. */
export interface TokenVerifier {
  verify(token: string): Promise<VerifiedToken>;
}

export interface RealmTokenVerifierOptions {
  realm: 'staff' | 'portal';
  /** Where the gateway reaches Keycloak (JWKS). */
  keycloakUrl: string;
  /** Keycloak's base URL as it appears in the tokens' `iss`, when clients reach it by another name. */
  issuerBaseUrl?: string;
  clockToleranceSeconds?: number;
  /** Replaces the remote key set (unit tests). */
  keys?: JWTVerifyGetKey;
}

// Fetching or reading the key set failed: that is Keycloak being unreachable, not a bad token.
const keySetUnavailable = new Set(['ERR_JWKS_TIMEOUT', 'ERR_JWKS_INVALID']);

/**
 * Verifies access tokens of one Keycloak realm: RS256 only, issuer of that realm, audience
 * `portal-gateway`, exp/nbf with a small tolerance, and `typ: Bearer` (ID and refresh tokens are
 * refused). Keys are fetched once and cached by jose, refetched when an unknown `kid` shows up.
 */
export function realmTokenVerifier(options: RealmTokenVerifierOptions): TokenVerifier {
  const base = (url: string) => url.replace(/\/+$/, '');
  const realmUrl = `${base(options.keycloakUrl)}/realms/${options.realm}`;
  const issuer = `${base(options.issuerBaseUrl ?? options.keycloakUrl)}/realms/${options.realm}`;
  const keys =
    options.keys ??
    createRemoteJWKSet(new URL(`${realmUrl}/protocol/openid-connect/certs`), {
      timeoutDuration: 5_000,
      cooldownDuration: 30_000,
      cacheMaxAge: 10 * 60_000,
    });

  return {
    async verify(token) {
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, keys, {
          issuer,
          audience: gatewayTokenAudience,
          algorithms: ['RS256'],
          clockTolerance: options.clockToleranceSeconds ?? 5,
          requiredClaims: ['sub', 'exp'],
        }));
      } catch (error) {
        throw verificationFailure(error);
      }
      if (payload.typ !== 'Bearer' || typeof payload.sub !== 'string') throw unauthenticated('invalid_token');
      return {
        realm: options.realm,
        subject: payload.sub,
        roles: realmRolesOf(payload),
        username: typeof payload.preferred_username === 'string' ? payload.preferred_username : null,
      };
    },
  };
}

/** Staff API tokens: realm `staff`. The portal audience gets its own `realmTokenVerifier` with its issue. */
export function staffTokenVerifier(options: Omit<RealmTokenVerifierOptions, 'realm'>): TokenVerifier {
  return realmTokenVerifier({ ...options, realm: 'staff' });
}

function verificationFailure(error: unknown): DomainError {
  if (error instanceof joseErrors.JOSEError) {
    return keySetUnavailable.has(error.code) ? identityProviderUnavailable() : unauthenticated('invalid_token');
  }
  // Anything else comes from fetching the key set (connection refused, DNS, TLS).
  return identityProviderUnavailable();
}

function realmRolesOf(payload: JWTPayload): string[] {
  const access = payload.realm_access;
  if (typeof access !== 'object' || access === null || !('roles' in access) || !Array.isArray(access.roles)) return [];
  return access.roles.filter((role): role is string => typeof role === 'string');
}
