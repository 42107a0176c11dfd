import { describe, expect, it } from 'vitest';
import { exponentialDelayMs, redeliveryDelayMs } from '../../../src/durable/backoff.ts';

describe('exponentialDelayMs', () => {
  it('doubles from the initial delay and stops at the cap', () => {
    const backoff = { initialMs: 100, maxMs: 1000 };
    expect([1, 2, 3, 4, 5, 6].map((attempt) => exponentialDelayMs(attempt, backoff))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
  });

  it('stays finite after a very long outage', () => {
    expect(exponentialDelayMs(10_000, { initialMs: 200, maxMs: 10_000 })).toBe(10_000);
  });
});

describe('redeliveryDelayMs', () => {
  it('follows a schedule by delivery and repeats its last step', () => {
    const schedule = [1000, 5000, 30_000];
    expect([1, 2, 3, 4, 9].map((delivery) => redeliveryDelayMs(delivery, schedule))).toEqual([
      1000, 5000, 30_000, 30_000, 30_000,
    ]);
  });

  it('turns a single number into a doubling series capped at ten times it', () => {
    expect([1, 2, 3, 4, 5, 6].map((delivery) => redeliveryDelayMs(delivery, 100))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
  });

  it('redelivers at once with an empty schedule', () => {
    expect(redeliveryDelayMs(3, [])).toBe(0);
  });
});
