import { z } from 'zod';
import { port } from '@portal/config';
import { defineServiceModule } from '@portal/kit';
import { gatewayService } from './gateway.service.ts';

export const gatewayModule = defineServiceModule({
  name: 'gateway',
  env: z.object({
    GATEWAY_HOST: z.string().min(1).default('0.0.0.0'),
    GATEWAY_PORT: port.default(8080),
    GATEWAY_BODY_LIMIT: z
      .string()
      .regex(/^\d+(kb|mb)$/)
      .default('1mb'),
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
      { host: env.GATEWAY_HOST, port: env.GATEWAY_PORT, bodyLimit: env.GATEWAY_BODY_LIMIT },
      readiness,
    );
    return { schemas: [schema], readiness, stop: async () => {} };
  },
});
