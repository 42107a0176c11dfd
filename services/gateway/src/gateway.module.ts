import { z } from 'zod';
import { brandingEnvSchema, port, revocationEntryTtlHours, url } from '@portal/config';
import { defineServiceModule, watchRevocations } from '@portal/kit';
import { realmTokenVerifier } from './adapters/realm-token.verifier.ts';
import { gatewayService } from './gateway.service.ts';
import { invalidProxyEntries, trustedProxiesOf } from './http/client-address.ts';
import { parseByteSize } from './http/request-body.ts';
import { webDistDir } from '@portal/web/assets';

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
    /** The built web UIs (`npm run build:web`); the package's own `dist` by default. */
    GATEWAY_WEB_DIR: z.string().min(1).default(webDistDir),
    /** Branding of both web UIs; the Keycloak theme shows the same (see `brandingEnvSchema`). */
    ...brandingEnvSchema.shape,
  }),
  async create({ env, nats, logger }) {
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
    };
    const realmOptions = {
      keycloakUrl: env.KEYCLOAK_URL,
      issuerBaseUrl: env.KEYCLOAK_PUBLIC_URL,
      allowedClients: clientIdsOf(env.GATEWAY_ALLOWED_CLIENTS),
      revocations,
    };
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
        staffTokens: realmTokenVerifier({ ...realmOptions, realm: 'staff', audience: env.GATEWAY_STAFF_AUDIENCE }),
        portalTokens: realmTokenVerifier({ ...realmOptions, realm: 'portal', audience: env.GATEWAY_PORTAL_AUDIENCE }),
      },
    );
    return { schemas: [schema], readiness, stop: () => revocations.stop() };
  },
});
