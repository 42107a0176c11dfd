import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { TokenVerifier } from '../../src/adapters/realm-token.verifier.ts';
import { authenticateStaff, type StaffRequest } from '../../src/auth/staff-auth.middleware.ts';
import { unauthenticated } from '../../src/errors.ts';
import { tokenBucketLimiter } from '../../src/http/rate-limiter.ts';

const request = (clientAddress: string, token?: string) =>
  ({
    headers: token ? { authorization: `Bearer ${token}` } : {},
    clientAddress,
  }) as unknown as StaffRequest & IncomingMessage;

/** Accepts `good-<sub>` tokens, refuses the rest, and counts every verification it is asked for. */
function countingVerifier() {
  const verifier = {
    verifications: 0,
    async verify(token: string) {
      verifier.verifications++;
      if (!token.startsWith('good-')) throw unauthenticated('invalid_token');
      return {
        realm: 'staff' as const,
        subject: token.slice(5),
        roles: ['viewer'],
        username: null,
        client: 'portal-cli',
        issuedAt: 0,
      };
    },
  } satisfies TokenVerifier & { verifications: number };
  return verifier;
}

const outcome = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (error: { code: number }) => error.code,
  );

describe('staff authentication and rate limits', () => {
  it('limits a flood of bad tokens from one address by the anonymous budget, without verifying each', async () => {
    const verifier = countingVerifier();
    const deps = {
      verifier,
      anonymousLimiter: tokenBucketLimiter({ perMinute: 3 }),
      principalLimiter: tokenBucketLimiter({ perMinute: 100 }),
    };
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => outcome(authenticateStaff(request('198.51.100.7', `forged-${i}`), deps))),
    );
    expect(answers.filter((code) => code === 401)).toHaveLength(3);
    expect(answers.filter((code) => code === 429)).toHaveLength(47);
    expect(verifier.verifications).toBe(3);
    // The same flood from an IPv6 client rotating addresses inside its /64 is one budget too.
    const v6 = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        outcome(authenticateStaff(request(`2001:db8:7:7::${(i + 1).toString(16)}`, 'forged'), deps)),
      ),
    );
    expect(v6.filter((code) => code === 429)).toHaveLength(7);
  });

  it('gives a valid token its anonymous charge back and charges its principal instead', async () => {
    const deps = {
      verifier: countingVerifier(),
      anonymousLimiter: tokenBucketLimiter({ perMinute: 2 }),
      principalLimiter: tokenBucketLimiter({ perMinute: 5 }),
    };
    for (let i = 0; i < 5; i++)
      expect(await outcome(authenticateStaff(request('203.0.113.1', 'good-ann'), deps))).toBe('ok');
    expect(await outcome(authenticateStaff(request('203.0.113.1', 'good-ann'), deps))).toBe(429);
    // Ann's five calls did not spend the address's anonymous budget.
    expect(await outcome(authenticateStaff(request('203.0.113.1'), deps))).toBe(401);
    expect(await outcome(authenticateStaff(request('203.0.113.1', 'good-bob'), deps))).toBe('ok');
  });
});
