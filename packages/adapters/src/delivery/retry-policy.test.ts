import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextRetryDelay, type RetryPolicy, withJitter } from './retry-policy.js';

const policyArb: fc.Arbitrary<RetryPolicy> = fc.record({
  maxAttempts: fc.integer({ min: 1, max: 20 }),
  baseDelayMs: fc.integer({ min: 0, max: 10_000 }),
  maxDelayMs: fc.integer({ min: 0, max: 600_000 }),
  factor: fc.double({ min: 1, max: 10, noNaN: true }),
  jitter: fc.double({ min: 0, max: 1, noNaN: true }),
});

describe('nextRetryDelay', () => {
  it('never decreases from one attempt to the next', () => {
    fc.assert(
      fc.property(policyArb, fc.integer({ min: 1, max: 200 }), (policy, attempt) => {
        expect(nextRetryDelay(attempt + 1, policy)).toBeGreaterThanOrEqual(nextRetryDelay(attempt, policy));
      }),
    );
  });

  it('is never above the cap nor below zero, whatever the attempt number', () => {
    fc.assert(
      fc.property(policyArb, fc.integer({ min: -5, max: 100_000 }), (policy, attempt) => {
        const delay = nextRetryDelay(attempt, policy);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(policy.maxDelayMs);
      }),
    );
  });

  it('grows by the factor until it reaches the cap, then stays there', () => {
    const policy: RetryPolicy = { maxAttempts: 10, baseDelayMs: 100, maxDelayMs: 1000, factor: 2 };
    expect([1, 2, 3, 4, 5, 6].map((n) => nextRetryDelay(n, policy))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
  });

  it('pinned: a zero base delay with a huge attempt number is 0, not NaN', () => {
    const policy: RetryPolicy = { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0, factor: 1.0089217288001762 };
    expect(nextRetryDelay(79912, policy)).toBe(0);
  });

  it('clamps nonsensical policies instead of throwing', () => {
    const odd: RetryPolicy = { maxAttempts: 3, baseDelayMs: Number.NaN, maxDelayMs: -1, factor: 0.1 };
    expect(nextRetryDelay(Number.POSITIVE_INFINITY, odd)).toBe(0);
  });
});

describe('withJitter', () => {
  it('stays within [delay × (1 − jitter), delay]', () => {
    fc.assert(
      fc.property(
        policyArb,
        fc.integer({ min: 0, max: 600_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (policy, delay, r) => {
          const jittered = withJitter(delay, policy, () => r);
          expect(jittered).toBeLessThanOrEqual(delay);
          expect(jittered).toBeGreaterThanOrEqual(Math.floor(delay * (1 - (policy.jitter ?? 0.5))));
        },
      ),
    );
  });
});
