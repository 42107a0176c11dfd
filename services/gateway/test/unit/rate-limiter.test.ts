import { describe, expect, it } from 'vitest';
import { tokenBucketLimiter } from '../../src/http/rate-limiter.ts';

function fakeClock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('token bucket rate limiter', () => {
  it('allows a burst of the per-minute limit, then refuses with the seconds until the next token', () => {
    const clock = fakeClock();
    const limiter = tokenBucketLimiter({ perMinute: 6, now: clock.now });
    for (let i = 0; i < 6; i++) expect(limiter.take('a')).toEqual({ allowed: true });
    // 6 per minute: one token every 10 s.
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 10 });
    clock.advance(4_000);
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 6 });
    clock.advance(6_000);
    expect(limiter.take('a')).toEqual({ allowed: true });
    expect(limiter.take('a').allowed).toBe(false);
  });

  it('keeps a separate bucket per key', () => {
    const clock = fakeClock();
    const limiter = tokenBucketLimiter({ perMinute: 1, now: clock.now });
    expect(limiter.take('sub:alice').allowed).toBe(true);
    expect(limiter.take('sub:alice').allowed).toBe(false);
    expect(limiter.take('sub:bob').allowed).toBe(true);
  });

  it('refills to the burst size, never beyond it', () => {
    const clock = fakeClock();
    const limiter = tokenBucketLimiter({ perMinute: 3, now: clock.now });
    limiter.take('a');
    clock.advance(60 * 60_000);
    for (let i = 0; i < 3; i++) expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
  });

  it('bounds its memory: idle buckets are dropped when the key table is full', () => {
    const clock = fakeClock();
    const limiter = tokenBucketLimiter({ perMinute: 2, now: clock.now, maxKeys: 2 });
    limiter.take('a');
    limiter.take('a');
    clock.advance(60_000); // a is full again: forgetting it loses nothing
    limiter.take('b');
    limiter.take('c');
    expect(limiter.take('b').allowed).toBe(true);
    expect(limiter.take('b').allowed).toBe(false);
  });
});

describe('token bucket refunds', () => {
  it('gives a token back, never beyond the burst size', () => {
    const clock = fakeClock();
    const limiter = tokenBucketLimiter({ perMinute: 2, now: clock.now });
    limiter.take('a');
    limiter.take('a');
    expect(limiter.take('a').allowed).toBe(false);
    limiter.refund('a');
    expect(limiter.take('a').allowed).toBe(true);
    limiter.refund('a');
    limiter.refund('a');
    limiter.refund('a');
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
  });
});
