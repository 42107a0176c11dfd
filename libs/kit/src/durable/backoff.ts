export interface ExponentialBackoff {
  initialMs: number;
  maxMs: number;
}

/** Delay before retry number `attempt` (1-based): doubles from `initialMs`, capped at `maxMs`. */
export function exponentialDelayMs(attempt: number, backoff: ExponentialBackoff): number {
  const exponent = Math.max(0, Math.floor(attempt) - 1);
  // Cap the exponent too, so a long outage cannot overflow to Infinity.
  return Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.min(exponent, 30));
}

/**
 * How long JetStream should wait before redelivering a message that failed on its
 * `deliveryCount`-th delivery (1-based). A schedule is indexed by delivery, its last entry repeats;
 * a single number is the first delay of a doubling series capped at ten times that number.
 */
export function redeliveryDelayMs(deliveryCount: number, backoffMs: number | readonly number[]): number {
  if (typeof backoffMs === 'number') {
    return exponentialDelayMs(deliveryCount, { initialMs: backoffMs, maxMs: backoffMs * 10 });
  }
  if (backoffMs.length === 0) return 0;
  const index = Math.min(Math.max(0, Math.floor(deliveryCount) - 1), backoffMs.length - 1);
  return backoffMs[index] ?? 0;
}
