import { z } from 'zod';
import { port, url } from '@portal/config';
import { defineServiceModule } from '@portal/kit';
import { staffTokenVerifier } from './adapters/staff-token.verifier.ts';
import { gatewayService } from './gateway.service.ts';
import { invalidProxyEntries, trustedProxiesOf } from './http/client-address.ts';
import { parseByteSize } from './http/request-body.ts';

const byteSize = z.string().regex(/^\d+(kb|mb)$/, 'a size such as 512kb or 1mb');
const perMinute = z.coerce.number().int().min(1);

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
  }),
  async create({ env }) {
    const readiness = {
      http: async () => {
        const response = await fetch(`http://127.0.0.1:${env.GATEWAY_PORT}/api/v1/none`, {
          signal: AbortSignal.timeout(1_000),
        });
        await response.body?.cancel();
      },
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
      },
      readiness,
      {
        staffTokens: staffTokenVerifier({ keycloakUrl: env.KEYCLOAK_URL, issuerBaseUrl: env.KEYCLOAK_PUBLIC_URL }),
      },
    );
    return { schemas: [schema], readiness, stop: async () => {} };
  },
});
