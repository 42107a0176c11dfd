import type { LoggerOptions } from 'pino';

/**
 * Values that must never reach a log line: credentials, tokens, cookies, presigned URLs and
 * e-mail bodies. Paths cover the top level and one level down (pino's wildcard depth).
 */
const sensitiveKeys = [
  'password',
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
  'presignedUrl',
  'uploadUrl',
  'downloadUrl',
  'html',
  'text',
  'emailBody',
] as const;

export const redactedPaths: string[] = sensitiveKeys.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);

export function pinoOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: redactedPaths, censor: '[redacted]' },
    timestamp: () => `,"time":"${new Date().toISOString()}"`,
    formatters: { level: (label) => ({ level: label }) },
  };
}
