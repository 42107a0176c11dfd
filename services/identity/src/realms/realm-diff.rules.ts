import { isDeepStrictEqual } from 'node:util';

/**
 * What reconciliation compares: only the keys the desired state names. Anything else an operator
 * set in Keycloak (extra clients, mappers, attributes) is left alone, so reconciling twice, or on a
 * realm someone tuned, changes nothing that the portal does not own.
 */
export interface SettingChange {
  key: string;
  from: unknown;
  to: unknown;
  /** The value is a secret: log that it changed, never what to. */
  secret?: boolean;
}

type Json = Record<string, unknown>;

/** Keycloak answers numbers and booleans inside `attributes`/`config` maps as strings. */
function sameValue(desired: unknown, current: unknown): boolean {
  if (isDeepStrictEqual(desired, current)) return true;
  if (typeof current === 'string' && (typeof desired === 'number' || typeof desired === 'boolean')) {
    return String(desired) === current;
  }
  if (Array.isArray(desired) && Array.isArray(current)) {
    return (
      desired.length === current.length && desired.every((value) => current.some((c) => isDeepStrictEqual(c, value)))
    );
  }
  if (isPlainObject(desired) && isPlainObject(current)) {
    return Object.entries(desired).every(([key, value]) => sameValue(value, current[key]));
  }
  return false;
}

const isPlainObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The keys of `desired` whose value differs in `current` (nested maps compared by their named keys). */
export function settingChanges(
  desired: Json,
  current: Json,
  options: { prefix?: string; secretKeys?: readonly string[] } = {},
): SettingChange[] {
  const changes: SettingChange[] = [];
  for (const [key, to] of Object.entries(desired)) {
    if (to === undefined) continue;
    const from = current[key];
    if (sameValue(to, from)) continue;
    const secret = options.secretKeys?.includes(key) ?? false;
    changes.push({
      key: `${options.prefix ?? ''}${key}`,
      from: secret ? undefined : from,
      to: secret ? undefined : to,
      secret,
    });
  }
  return changes;
}

/** One log line per change: what it was and what it is now, secrets named but not shown. */
export function describeChange(scope: string, change: SettingChange): string {
  if (change.secret) return `${scope}: ${change.key} updated (secret, value not shown)`;
  return `${scope}: ${change.key} ${JSON.stringify(change.from) ?? 'unset'} → ${JSON.stringify(change.to)}`;
}

/** Items (clients, mappers, roles) named in `desired` but missing in `current`, by their name key. */
export function missingByName<T extends Json>(desired: readonly T[], current: readonly Json[], nameKey: string): T[] {
  const present = new Set(current.map((item) => item[nameKey]));
  return desired.filter((item) => !present.has(item[nameKey]));
}

/** An SMTP relay URL (`smtp://user:pass@host:port`, `smtps://…`) as Keycloak's realm `smtpServer` map. */
export function smtpServerOf(smtpUrl: string, from: string, fromDisplayName: string): Record<string, string> {
  const url = new URL(smtpUrl);
  const ssl = url.protocol === 'smtps:';
  const user = decodeURIComponent(url.username);
  return {
    host: url.hostname,
    port: url.port || (ssl ? '465' : '25'),
    from,
    fromDisplayName,
    ssl: String(ssl),
    starttls: 'false',
    auth: String(user !== ''),
    ...(user !== '' ? { user, password: decodeURIComponent(url.password) } : {}),
  };
}
