import { z } from 'zod';
import { brandingEnvSchema, port, postgresUrl, revocationEntryTtlHours, url } from '@portal/config';
import { createServiceOrm, defineServiceModule, migrateToLatest, watchRevocations } from '@portal/kit';
import { realmOidcClient } from './adapters/keycloak-oidc.adapter.ts';
import { logoutTokenVerifier } from './adapters/logout-token.verifier.ts';
import { realmTokenVerifier } from './adapters/realm-token.verifier.ts';
import { bellStreams } from './bell/bell-streams.ts';
import { tokenCipher } from './bff/token-cipher.ts';
import { webSessionStore } from './bff/web-session.store.ts';
import { webSessions } from './bff/web-sessions.ts';
import { gatewayService } from './gateway.service.ts';
import { invalidProxyEntries, trustedProxiesOf } from './http/client-address.ts';
import { parseByteSize } from './http/request-body.ts';
import { gatewayMigrations } from './migrations/index.ts';
import { webDistDir } from '@portal/web/assets';

/** The OIDC client the gateway is in both realms (the web UIs' code flow). */
export const gatewayClientId = 'portal-gateway';
const sessionPurgeIntervalMs = 5 * 60_000;

const byteSize = z.string().regex(/^\d+(kb|mb)$/, 'a size such as 512kb or 1mb');
const perMinute = z.coerce.number().int().min(1);
/** A comma-separated list of Keycloak client ids, trimmed, empty entries dropped. */
export const clientIdsOf = (list: string) =>
  list
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);

export const gatewayModule = defineServiceModule({
  name: 'gateway',
  env: z.object({
    GATEWAY_HOST: z.string().min(1).default('0.0.0.0'),
    GATEWAY_PORT: port.default(8080),
    GATEWAY_BODY_LIMIT: byteSize.default('1mb'),
    GATEWAY_CSV_BODY_LIMIT: byteSize.default('50mb'),
    // Kept as text (a module may parse its environment again); every bad entry is named at once.
    GATEWAY_TRUSTED_PROXIES: z
      .string()
      .default('')
      .superRefine((list, issues) => {
        const invalid = invalidProxyEntries(list);
        if (invalid.length > 0) {
          issues.addIssue({
            code: 'custom',
            message: `not an IP address or CIDR block: ${invalid.map((entry) => JSON.stringify(entry)).join(', ')}`,
          });
        }
      }),
    // The boolean it replaced trusted any peer; refusing it beats silently trusting nobody after an upgrade.
    GATEWAY_TRUST_PROXY: z
      .undefined({ error: 'replaced by GATEWAY_TRUSTED_PROXIES (the proxies’ addresses or CIDR blocks)' })
      .optional(),
    GATEWAY_STATUS_CACHE_SECONDS: z.coerce.number().min(0).max(300).default(5),
    GATEWAY_RATE_LIMIT_PER_MINUTE: perMinute.default(600),
    GATEWAY_ANONYMOUS_RATE_LIMIT_PER_MINUTE: perMinute.default(60),
    KEYCLOAK_URL: url(['http', 'https']),
    /** Keycloak's base URL as clients see it (the tokens' issuer), when the gateway reaches it by another name. */
    KEYCLOAK_PUBLIC_URL: url(['http', 'https']).optional(),
    /** The `aud` each realm's tokens must carry: an audience of the API's own, per realm. */
    GATEWAY_STAFF_AUDIENCE: z.string().min(1).default('staff-api'),
    GATEWAY_PORTAL_AUDIENCE: z.string().min(1).default('portal-api'),
    /** Clients (`azp`) whose tokens the API accepts, comma-separated (the dev stack adds `portal-cli`). */
    // Kept as text like GATEWAY_TRUSTED_PROXIES (a module may parse its environment again).
    GATEWAY_ALLOWED_CLIENTS: z
      .string()
      .default('portal-gateway')
      .refine((list) => clientIdsOf(list).length > 0, 'name at least one client id')
      .refine((list) => clientIdsOf(list).every((id) => /^[A-Za-z0-9._:-]+$/.test(id)), 'not a list of client ids'),
    /** How long a portal login's contact is cached; the directory's broadcasts drop it sooner on change. */
    GATEWAY_PRINCIPAL_CACHE_SECONDS: z.coerce.number().int().min(0).max(300).default(30),
    /**
     * How long a revocation entry lives: longer than any access token. Identity writes the entries;
     * the bucket keeps the setting of whoever created it first, so give both the same value.
     */
    REVOCATION_ENTRY_TTL_HOURS: revocationEntryTtlHours,
    /** The gateway's own role and schema: the web UIs' sessions and pending sign-ins. */
    GATEWAY_DATABASE_URL: postgresUrl,
    /** Encrypts the tokens of web sessions at rest (AES-256-GCM, key derived with HKDF). Never logged. */
    GATEWAY_SESSION_SECRET: z.string().min(32, 'at least 32 characters (e.g. `openssl rand -base64 48`)'),
    /** The secret of the confidential client `portal-gateway` in both realms (the web UIs' sign-in). */
    KEYCLOAK_GATEWAY_CLIENT_SECRET: z.string().min(1),
    /** The portal's public base URL: sign-in callbacks, cookies (`__Host-` on https) and the same-origin check. */
    PORTAL_PUBLIC_URL: url(['http', 'https']).default('http://localhost:8080'),
    /**
     * Where browsers reach the documents' object store (the documents service signs its presigned
     * URLs for the same address); the pages may connect to it. Falls back to S3_ENDPOINT.
     */
    S3_PUBLIC_ENDPOINT: url(['http', 'https']).optional(),
    S3_ENDPOINT: url(['http', 'https']).optional(),
    /** The built web UIs (`npm run build:web`); the package's own `dist` by default. */
    GATEWAY_WEB_DIR: z.string().min(1).default(webDistDir),
    /** Branding of both web UIs; the Keycloak theme shows the same (see `brandingEnvSchema`). */
    ...brandingEnvSchema.shape,
  }),
  migrations: gatewayMigrations,
  async create({ env, nats, logger, metrics }) {
    const orm = await createServiceOrm({
      schema: 'gateway',
      databaseUrl: env.GATEWAY_DATABASE_URL,
      migrations: gatewayMigrations,
      poolMax: 5,
    });
    try {
      const applied = await migrateToLatest(orm);
      if (applied.length > 0) logger.info(`migrations applied: ${applied.join(', ')}`);
    } catch (error) {
      await orm.close();
      throw error;
    }
    const revocations = await watchRevocations(nats, { entryTtlMs: env.REVOCATION_ENTRY_TTL_HOURS * 3_600_000 });
    const readiness = {
      http: async () => {
        const response = await fetch(`http://127.0.0.1:${env.GATEWAY_PORT}/api/v1/none`, {
          signal: AbortSignal.timeout(1_000),
        });
        await response.body?.cancel();
      },
      // Down until the list is loaded and while its watch is broken: a replica that cannot see
      // revocations must not take traffic.
      revocations: () => revocations.check(),
      postgres: async () => {
        await orm.em.fork().execute('select 1');
      },
    };
    const realmOptions = {
      keycloakUrl: env.KEYCLOAK_URL,
      issuerBaseUrl: env.KEYCLOAK_PUBLIC_URL,
      allowedClients: clientIdsOf(env.GATEWAY_ALLOWED_CLIENTS),
      revocations,
    };
    const staffTokens = realmTokenVerifier({ ...realmOptions, realm: 'staff', audience: env.GATEWAY_STAFF_AUDIENCE });
    const portalTokens = realmTokenVerifier({
      ...realmOptions,
      realm: 'portal',
      audience: env.GATEWAY_PORTAL_AUDIENCE,
    });
    const publicUrl = env.PORTAL_PUBLIC_URL.replace(/\/+$/, '');
    const oidcOf = (realm: 'staff' | 'portal') =>
      realmOidcClient({
        realm,
        keycloakUrl: env.KEYCLOAK_URL,
        ...(env.KEYCLOAK_PUBLIC_URL ? { publicKeycloakUrl: env.KEYCLOAK_PUBLIC_URL } : {}),
        clientId: gatewayClientId,
        clientSecret: env.KEYCLOAK_GATEWAY_CLIENT_SECRET,
      });
    const logoutTokensOf = (realm: 'staff' | 'portal') =>
      logoutTokenVerifier({
        realm,
        keycloakUrl: env.KEYCLOAK_URL,
        ...(env.KEYCLOAK_PUBLIC_URL ? { issuerBaseUrl: env.KEYCLOAK_PUBLIC_URL } : {}),
        clientId: gatewayClientId,
      });
    const sessions = webSessions({
      store: webSessionStore(orm),
      cipher: tokenCipher(env.GATEWAY_SESSION_SECRET),
      oidc: { admin: oidcOf('staff'), portal: oidcOf('portal') },
      publicUrl,
      revocations,
    });
    const bell = bellStreams();
    const stopReportingStreams = metrics?.reportSseConnections(() => bell.count());
    // A revoked login's web sessions and bell streams end at once on every replica (the next request is 401 anyway).
    const unsubscribe = revocations.subscribe((realm, subject, revokedAt) => {
      const ended = bell.revoked(realm, subject, revokedAt);
      if (ended > 0) logger.info(`bell: ${ended} stream(s) of a revoked ${realm} login closed`);
      sessions.revoked(realm, subject, revokedAt).catch((error: Error) => {
        logger.warn(`ending the web sessions of a revoked ${realm} login failed: ${error.message}`);
      });
    });
    const purge = setInterval(() => {
      sessions
        .purgeExpired()
        .catch((error: Error) => logger.warn(`purging expired web sessions failed: ${error.message}`));
    }, sessionPurgeIntervalMs);
    purge.unref();

    const schema = gatewayService(
      {
        host: env.GATEWAY_HOST,
        port: env.GATEWAY_PORT,
        jsonBodyLimitBytes: parseByteSize(env.GATEWAY_BODY_LIMIT),
        csvBodyLimitBytes: parseByteSize(env.GATEWAY_CSV_BODY_LIMIT),
        trustedProxies: trustedProxiesOf(env.GATEWAY_TRUSTED_PROXIES),
        statusCacheMs: env.GATEWAY_STATUS_CACHE_SECONDS * 1000,
        rateLimitPerMinute: env.GATEWAY_RATE_LIMIT_PER_MINUTE,
        anonymousRateLimitPerMinute: env.GATEWAY_ANONYMOUS_RATE_LIMIT_PER_MINUTE,
        principalCacheMs: env.GATEWAY_PRINCIPAL_CACHE_SECONDS * 1000,
        web: {
          distDir: env.GATEWAY_WEB_DIR,
          keycloakPublicUrl: env.KEYCLOAK_PUBLIC_URL ?? env.KEYCLOAK_URL,
          fileStorePublicUrl: env.S3_PUBLIC_ENDPOINT ?? env.S3_ENDPOINT,
          branding: {
            productName: env.PORTAL_PRODUCT_NAME,
            primaryColor: env.PORTAL_PRIMARY_COLOR,
            logoUrl: env.PORTAL_LOGO_URL ?? null,
          },
          log: logger,
        },
      },
      readiness,
      {
        staffTokens,
        portalTokens,
        web: {
          sessions,
          publicUrl,
          verifiers: { admin: staffTokens, portal: portalTokens },
          logoutTokens: { admin: logoutTokensOf('staff'), portal: logoutTokensOf('portal') },
        },
        bell,
        ...(metrics ? { metrics } : {}),
      },
    );
    return {
      schemas: [schema],
      readiness,
      async stop() {
        bell.closeAll();
        stopReportingStreams?.();
        clearInterval(purge);
        unsubscribe();
        await revocations.stop();
        await orm.close();
      },
    };
  },
});
