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

/**
 * Where the bus is: `nats://` (plain) or `tls://` (the client then insists on TLS), never with
 * credentials inside, since the URL is printed in logs and error messages; those go to
 * `NATS_USER`/`NATS_PASSWORD`.
 */
export const natsUrl = url(['nats', 'tls']).refine(
  (value) => {
    const parsed = new URL(value);
    return parsed.username === '' && parsed.password === '';
  },
  { message: 'must not contain credentials: set NATS_USER and NATS_PASSWORD instead' },
);

/** Settings every service process shares: transport, logging, health endpoint, durable-event retention. */
export const processEnvSchema = z.object({
  NATS_URL: natsUrl,
  /**
   * The process's own NATS identity: each service has its own user (see the chart README), so the
   * server can tell them apart, and one leaked password is replaced without touching the others.
   */
  NATS_USER: z.string().min(1).optional(),
  NATS_PASSWORD: z.string().min(1).optional(),
  /** PEM file of the CA that signed the NATS server's certificate, for `tls://` URLs with a private CA. */
  NATS_CA_FILE: z.string().min(1).optional(),
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
 * (`schema.superRefine(processEnvRules)`): NATS credentials come as a pair (and a CA file only
 * with TLS); and the durable-event retention below. An inbox row is what stops a redelivered event from
 * being applied twice, and a message can be redelivered as long as its stream keeps it: the inbox
 * must remember longer than the stream.
 */
export function processEnvRules(
  env: {
    EVENT_STREAM_MAX_AGE_DAYS?: unknown;
    EVENT_INBOX_RETENTION_DAYS?: unknown;
    NATS_URL?: unknown;
    NATS_USER?: unknown;
    NATS_PASSWORD?: unknown;
    NATS_CA_FILE?: unknown;
  },
  ctx: z.RefinementCtx,
): void {
  natsCredentialRules(env, ctx);
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

/**
 * A user without a password (or the reverse) is a deployment mistake, not a wish to connect
 * anonymously: say so instead of letting the server answer "authorization violation".
 */
function natsCredentialRules(
  env: { NATS_URL?: unknown; NATS_USER?: unknown; NATS_PASSWORD?: unknown; NATS_CA_FILE?: unknown },
  ctx: z.RefinementCtx,
): void {
  const hasUser = typeof env.NATS_USER === 'string';
  const hasPassword = typeof env.NATS_PASSWORD === 'string';
  if (hasUser !== hasPassword) {
    const missing = hasUser ? 'NATS_PASSWORD' : 'NATS_USER';
    ctx.addIssue({
      code: 'custom',
      path: [missing],
      message: `must be set together with ${hasUser ? 'NATS_USER' : 'NATS_PASSWORD'} (NATS credentials are a pair)`,
    });
  }
  if (typeof env.NATS_CA_FILE === 'string' && typeof env.NATS_URL === 'string' && !env.NATS_URL.startsWith('tls://')) {
    ctx.addIssue({
      code: 'custom',
      path: ['NATS_CA_FILE'],
      message: 'is only used with a tls:// NATS_URL',
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
