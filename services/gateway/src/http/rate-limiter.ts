/** The decision for one request: allowed, or refused with the seconds until a token is back. */
export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export interface RateLimiter {
  take(key: string): RateDecision;
  /** Gives back a token taken in advance for a request that turned out not to count (never beyond the burst). */
  refund(key: string): void;
}

export interface TokenBucketOptions {
  /** Requests per minute a key may make on average; also the burst size. */
  perMinute: number;
  /** Milliseconds since some epoch; injected so tests control time. */
  now?: () => number;
  /** Keys kept at most; when full, idle (refilled) buckets are dropped first. */
  maxKeys?: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * A token bucket per key (token `sub`, or client address before authentication), in memory:
 * limits hold per gateway replica, so N replicas allow up to N times the configured rate.
 */
export function tokenBucketLimiter(options: TokenBucketOptions): RateLimiter {
  const now = options.now ?? Date.now;
  const capacity = options.perMinute;
  const refillPerMs = options.perMinute / 60_000;
  const maxKeys = options.maxKeys ?? 100_000;
  const buckets = new Map<string, Bucket>();

  const refilled = (bucket: Bucket, at: number) =>
    Math.min(capacity, bucket.tokens + Math.max(0, at - bucket.updatedAt) * refillPerMs);

  const dropIdleBuckets = (at: number) => {
    for (const [key, bucket] of buckets) if (refilled(bucket, at) >= capacity) buckets.delete(key);
    // Still full of busy keys: forget the oldest rather than grow without bound.
    while (buckets.size >= maxKeys) {
      const oldest = buckets.keys().next();
      if (oldest.done) break;
      buckets.delete(oldest.value);
    }
  };

  return {
    take(key) {
      const at = now();
      let bucket = buckets.get(key);
      if (!bucket) {
        if (buckets.size >= maxKeys) dropIdleBuckets(at);
        bucket = { tokens: capacity, updatedAt: at };
        buckets.set(key, bucket);
      }
      bucket.tokens = refilled(bucket, at);
      bucket.updatedAt = at;
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return { allowed: true };
      }
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / refillPerMs / 1000)) };
    },
    refund(key) {
      const bucket = buckets.get(key);
      if (bucket) bucket.tokens = Math.min(capacity, bucket.tokens + 1);
    },
  };
}
