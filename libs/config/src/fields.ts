import { z } from 'zod';
import type { ServiceName } from '@portal/contracts';

/** Reusable pieces of environment schemas, so every service spells a setting the same way. */

export const port = z.coerce.number().int().min(0).max(65535);

export const url = (protocols: readonly string[]) =>
  z.url().refine((value) => protocols.some((protocol) => value.startsWith(`${protocol}://`)), {
    message: `must start with ${protocols.map((protocol) => `${protocol}://`).join(' or ')}`,
  });

export const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info');

const days = z.coerce.number().int().min(1);

/** Defaults of `EVENT_STREAM_MAX_AGE_DAYS` and `EVENT_INBOX_RETENTION_DAYS`. */
export const defaultEventStreamMaxAgeDays = 14;
export const defaultEventInboxRetentionDays = 30;

/**
 * OpenTelemetry's standard variables for trace export (OTLP over HTTP, JSON). Tracing is off unless
 * one of the two endpoints is set: `OTEL_EXPORTER_OTLP_ENDPOINT` is the collector's base URL (the
 * exporter appends `/v1/traces`), `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` the full traces URL. The
 * exporter reads them itself; they are validated here so a typo fails the start, not every export.
 */
function tracingEnvShape() {
  // Empty counts as unset: docker compose passes `${OTEL_EXPORTER_OTLP_ENDPOINT:-}` through as ''.
  const collectorUrl = z.preprocess((value) => (value === '' ? undefined : value), url(['http', 'https']).optional());
  return {
    OTEL_EXPORTER_OTLP_ENDPOINT: collectorUrl,
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: collectorUrl,
    /** Share of new traces kept (a trace started elsewhere follows its caller's decision). */
    OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).default(1),
    /** How long finished spans wait before a batch is sent, in milliseconds. */
    OTEL_BSP_SCHEDULE_DELAY: z.coerce.number().int().min(1).max(60_000).default(5_000),
  };
}

/** Settings every service process shares: transport, logging, health endpoint, durable-event retention. */
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
  /** How long each service's event stream (and the dead-letter stream) keeps a message. */
  EVENT_STREAM_MAX_AGE_DAYS: days.default(defaultEventStreamMaxAgeDays),
  /** How long a consumer remembers an applied event id; must exceed the stream's max age. */
  EVENT_INBOX_RETENTION_DAYS: days.default(defaultEventInboxRetentionDays),
  ...tracingEnvShape(),
});

/**
 * Rules across variables of `processEnvSchema`, applied once the process's whole schema is built
 * (`schema.superRefine(processEnvRules)`). An inbox row is what stops a redelivered event from
 * being applied twice, and a message can be redelivered as long as its stream keeps it: the inbox
 * must remember longer than the stream.
 */
export function processEnvRules(
  env: { EVENT_STREAM_MAX_AGE_DAYS?: unknown; EVENT_INBOX_RETENTION_DAYS?: unknown },
  ctx: z.RefinementCtx,
): void {
  const maxAge = env.EVENT_STREAM_MAX_AGE_DAYS;
  const retention = env.EVENT_INBOX_RETENTION_DAYS;
  if (typeof maxAge === 'number' && typeof retention === 'number' && retention <= maxAge) {
    ctx.addIssue({
      code: 'custom',
      path: ['EVENT_INBOX_RETENTION_DAYS'],
      message: `must be greater than EVENT_STREAM_MAX_AGE_DAYS (${maxAge}), or a redelivered event could be applied twice`,
    });
  }
}

export const postgresUrl = url(['postgres', 'postgresql']);

/** The per-service database URL variable, e.g. `DIRECTORY_DATABASE_URL`: the service's own role and schema. */
export function databaseUrlKey(service: ServiceName): `${Uppercase<ServiceName>}_DATABASE_URL` {
  return `${service.toUpperCase() as Uppercase<ServiceName>}_DATABASE_URL`;
}

/**
 * How long an entry of the revocation list lives, in hours: longer than any access token. Identity
 * writes the entries and every gateway watches them; the bucket keeps the setting of whoever created
 * it first, so both read this one variable.
 */
export const revocationEntryTtlHours = z.coerce
  .number()
  .int()
  .min(1)
  .max(24 * 90)
  .default(24);

/** The product name both web UIs, the login page and the e-mails show unless `PORTAL_PRODUCT_NAME` says otherwise. */
export const defaultProductName = 'Customer portal';

/**
 * The installation's branding: one configuration for the web UIs (the gateway writes it into the
 * pages) and Keycloak's login page and e-mails (identity writes the product name into the realms;
 * Keycloak's own process reads the colour and logo through its theme properties).
 */
export const brandingEnvSchema = z.object({
  PORTAL_PRODUCT_NAME: z.string().trim().min(1).max(60).default(defaultProductName),
  PORTAL_PRIMARY_COLOR: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, 'a colour such as #1f4e79')
    .default('#1f4e79'),
  PORTAL_LOGO_URL: url(['http', 'https']).optional(),
});
