import { z } from 'zod';
import type { ServiceName } from '@portal/contracts';

/** Reusable pieces of environment schemas, so every service spells a setting the same way. */

export const port = z.coerce.number().int().min(0).max(65535);

export const url = (protocols: readonly string[]) =>
  z.url().refine((value) => protocols.some((protocol) => value.startsWith(`${protocol}://`)), {
    message: `must start with ${protocols.map((protocol) => `${protocol}://`).join(' or ')}`,
  });

export const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info');

/** Settings every service process shares: transport, logging, health endpoint. */
export const processEnvSchema = z.object({
  NATS_URL: url(['nats']),
  LOG_LEVEL: logLevel,
  NODE_ID: z.string().min(1).optional(),
  /** Separates installations (or test runs) that share one NATS. */
  MOLECULER_NAMESPACE: z
    .string()
    .regex(/^[a-z0-9-]{1,40}$/)
    .default('portal'),
  HEALTH_PORT: port.default(9100),
  HEALTH_HOST: z.string().min(1).default('0.0.0.0'),
});

export const postgresUrl = url(['postgres', 'postgresql']);

/** The per-service database URL variable, e.g. `DIRECTORY_DATABASE_URL`: the service's own role and schema. */
export function databaseUrlKey(service: ServiceName): `${Uppercase<ServiceName>}_DATABASE_URL` {
  return `${service.toUpperCase() as Uppercase<ServiceName>}_DATABASE_URL`;
}
