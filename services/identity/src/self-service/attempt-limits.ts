import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { rateLimitKeyOf } from '@portal/kit';
import { identityError } from '../errors.ts';

export const attemptLimitsEnv = z.object({
  IDENTITY_SELF_SERVICE_ATTEMPTS_PER_ADDRESS: z.coerce.number().int().min(1).default(10),
  IDENTITY_SELF_REGISTRATION_ATTEMPTS_PER_INVOICE: z.coerce.number().int().min(1).default(5),
  IDENTITY_SELF_SERVICE_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
});

/** How many public-form attempts a client address, and an invoice number, get per window. */
export interface AttemptLimits {
  perAddress: number;
  perInvoice: number;
  windowSeconds: number;
}

export const defaultAttemptLimits: AttemptLimits = { perAddress: 10, perInvoice: 5, windowSeconds: 900 };

export function attemptLimitsOf(env: z.infer<typeof attemptLimitsEnv>): AttemptLimits {
  return {
    perAddress: env.IDENTITY_SELF_SERVICE_ATTEMPTS_PER_ADDRESS,
    perInvoice: env.IDENTITY_SELF_REGISTRATION_ATTEMPTS_PER_INVOICE,
    windowSeconds: env.IDENTITY_SELF_SERVICE_WINDOW_SECONDS,
  };
}

/** A counted thing: `form` keeps the two public forms' budgets apart. */
export interface AttemptKey {
  key: string;
  limit: number;
}

export const addressKey = (form: string, sourceIp: string | null, limits: AttemptLimits): AttemptKey => ({
  key: `${form}:address:${rateLimitKeyOf(sourceIp)}`,
  limit: limits.perAddress,
});

export const invoiceKey = (invoiceNumber: string, limits: AttemptLimits): AttemptKey => ({
  key: `self-registration:invoice:${invoiceNumber.toLowerCase()}`,
  limit: limits.perInvoice,
});

/**
 * Counts one attempt under each key (fixed windows in PostgreSQL, so every gateway and identity
 * replica shares them) inside the caller's transaction; throws REGISTRATION_RATE_LIMITED with
 * `retryAfterSeconds` when any key is over its limit. A refused attempt rolls back with its
 * transaction, so it does not push the window further.
 */
export async function chargeAttempts(tx: EntityManager, keys: AttemptKey[], windowSeconds: number): Promise<void> {
  const rows = await tx.execute<{ key: string; attempts: number; retry_after: number }[]>(
    `insert into attempt_counter as c (key, window_started_at, attempts)
     select value, now(), 1 from jsonb_array_elements_text(?::jsonb)
     on conflict (key) do update set
       attempts = case when c.window_started_at <= now() - make_interval(secs => ?) then 1 else c.attempts + 1 end,
       window_started_at = case when c.window_started_at <= now() - make_interval(secs => ?) then now()
                                else c.window_started_at end
     returning key, attempts,
       greatest(1, ceil(extract(epoch from c.window_started_at + make_interval(secs => ?) - now())))::int as retry_after`,
    [JSON.stringify(keys.map(({ key }) => key)), windowSeconds, windowSeconds, windowSeconds],
  );
  const limitOf = new Map(keys.map(({ key, limit }) => [key, limit]));
  const over = rows.filter((row) => row.attempts > (limitOf.get(row.key) ?? Infinity));
  if (over.length > 0) {
    throw identityError('REGISTRATION_RATE_LIMITED', {
      details: { retryAfterSeconds: Math.max(...over.map((row) => row.retry_after)) },
    });
  }
}

/** Counters whose window ended long ago; run now and then. */
export async function purgeAttemptCounters(em: EntityManager, windowSeconds: number): Promise<void> {
  await em.execute('delete from attempt_counter where window_started_at < now() - make_interval(secs => ?)', [
    windowSeconds,
  ]);
}
