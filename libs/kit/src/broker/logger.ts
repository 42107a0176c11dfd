import type { LoggerOptions } from 'pino';
import { activeTraceIds } from '../observability/tracing-context.ts';

/**
 * Values that must never reach a log line: credentials, tokens, cookies, presigned URLs and
 * e-mail bodies. Paths cover the top level and one level down (pino's wildcard depth).
 */
const sensitiveKeys = [
  'password',
  // nats.js spells the password `pass`; the environment variable may be logged as a whole map.
  'pass',
  'NATS_PASSWORD',
  'newPassword',
  'temporaryPassword',
  'secret',
  'clientSecret',
  'token',
  'accessToken',
  'refreshToken',
  'idToken',
  'authorization',
  'cookie',
  'set-cookie',
  'codeVerifier',
  'logoutToken',
  'presignedUrl',
  'uploadUrl',
  'downloadUrl',
  'html',
  'text',
  'emailBody',
] as const;

// Keys that are not identifiers (`set-cookie`) need pino's bracket notation.
const pathOf = (key: string) => (/^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `["${key}"]`);
export const redactedPaths: string[] = sensitiveKeys.flatMap((key) => {
  const step = pathOf(key);
  const top = step.startsWith('.') ? step.slice(1) : step;
  return [top, `*${step}`, `*.*${step}`];
});

export function pinoOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: redactedPaths, censor: '[redacted]' },
    timestamp: () => `,"time":"${new Date().toISOString()}"`,
    formatters: { level: (label) => ({ level: label }) },
    // The current span's ids on every line logged inside a traced request, action or event.
    mixin: () => activeTraceIds() ?? {},
  };
}
