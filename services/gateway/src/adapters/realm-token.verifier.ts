import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { DomainError, RevocationRealm } from '@portal/kit';
import { identityProviderUnavailable, unauthenticated } from '../errors.ts';

/** Who a verified access token speaks for. */
export interface VerifiedToken {
  realm: RevocationRealm;
  /** The Keycloak user id (`sub`). */
  subject: string;
  /** Realm roles (`realm_access.roles`). */
  roles: readonly string[];
  username: string | null;
  /** The client the token was issued to (`azp`). */
  client: string;
  /** When it was issued (`iat`, epoch seconds). */
  issuedAt: number;
}

/** Checks a bearer token; throws 401 `UNAUTHENTICATED` for a bad one and 503 when keys cannot be fetched. */
export interface TokenVerifier {
  verify(token: string): Promise<VerifiedToken>;
}

/** What the verifier needs of the revocation list: the kit's `RevocationWatcher` is one. */
export interface RevocationCheck {
  /** Resolves once the list is loaded; a replica refuses nothing it has not read yet. */
  ready: Promise<void>;
  isRevoked(realm: RevocationRealm, subject: string, issuedAtSeconds: number): boolean;
}

export interface RealmTokenVerifierOptions {
  realm: RevocationRealm;
  /** Where the gateway reaches Keycloak (JWKS). */
  keycloakUrl: string;
  /** Keycloak's base URL as it appears in the tokens' `iss`, when clients reach it by another name. */
  issuerBaseUrl?: string;
  /** The `aud` this realm's tokens must name: `staff-api` or `portal-api` by default (GATEWAY_*_AUDIENCE). */
  audience: string;
  /** Clients (`azp`) whose tokens are accepted (GATEWAY_ALLOWED_CLIENTS). */
  allowedClients: readonly string[];
  /** Tokens of a revoked subject issued before its revocation are refused. */
  revocations?: RevocationCheck;
  clockToleranceSeconds?: number;
  /** Replaces the remote key set (unit tests). */
  keys?: JWTVerifyGetKey;
}

// Fetching or reading the key set failed: that is Keycloak being unreachable, not a bad token.
const keySetUnavailable = new Set(['ERR_JWKS_TIMEOUT', 'ERR_JWKS_INVALID']);

/**
 * Verifies access tokens of one Keycloak realm: RS256 only, issuer of that realm, the realm's own
 * audience, an allowed `azp`, exp/nbf with a small tolerance, `typ: Bearer` (ID and refresh tokens
 * are refused), and not revoked. Keys are fetched once and cached by jose, refetched when an
 * unknown `kid` shows up, so a request costs no call to Keycloak.
 */
export function realmTokenVerifier(options: RealmTokenVerifierOptions): TokenVerifier {
  const base = (url: string) => url.replace(/\/+$/, '');
  const realmUrl = `${base(options.keycloakUrl)}/realms/${options.realm}`;
  const issuer = `${base(options.issuerBaseUrl ?? options.keycloakUrl)}/realms/${options.realm}`;
  const allowedClients = new Set(options.allowedClients);
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
          audience: options.audience,
          algorithms: ['RS256'],
          clockTolerance: options.clockToleranceSeconds ?? 5,
          requiredClaims: ['sub', 'exp', 'iat'],
        }));
      } catch (error) {
        throw verificationFailure(error);
      }
      const { sub, azp, iat } = payload;
      if (payload.typ !== 'Bearer' || typeof sub !== 'string' || typeof iat !== 'number') {
        throw unauthenticated('invalid_token');
      }
      if (typeof azp !== 'string' || !allowedClients.has(azp)) throw unauthenticated('invalid_token');
      if (options.revocations) {
        await options.revocations.ready;
        if (options.revocations.isRevoked(options.realm, sub, iat)) throw unauthenticated('invalid_token');
      }
      return {
        realm: options.realm,
        subject: sub,
        roles: realmRolesOf(payload),
        username: typeof payload.preferred_username === 'string' ? payload.preferred_username : null,
        client: azp,
        issuedAt: iat,
      };
    },
  };
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
