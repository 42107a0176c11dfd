import { z } from 'zod';
import { port, url } from '@portal/config';
import { defineServiceModule } from '@portal/kit';
import { staffTokenVerifier } from './adapters/staff-token.verifier.ts';
import { gatewayService } from './gateway.service.ts';
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
    // Kept as text: the process parses its environment, then each module parses that result again.
    GATEWAY_TRUST_PROXY: z.enum(['true', 'false', '1', '0']).default('false'),
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
        trustProxy: env.GATEWAY_TRUST_PROXY === 'true' || env.GATEWAY_TRUST_PROXY === '1',
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
