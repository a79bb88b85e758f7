import { createHash } from 'node:crypto';
import { makeSlidingWindowLimiter, type RateDecision, type RateLimit } from './rate-limiter.js';

export interface RateLimitPair {
  readonly perToken: RateLimit;
  readonly perIp: RateLimit;
}

export interface SigningRateLimits {
  /** `POST /sign/:token/code`: each one may send an SMS, which costs money and can harass the signer. */
  readonly codeRequests: RateLimitPair;
  /** `POST /sign/:token/verify`: the domain locks a code after 3 wrong tries; this slows guessing across codes. */
  readonly verifications: RateLimitPair;
  /** Time source in milliseconds, for tests. */
  readonly now: () => number;
}

const FIFTEEN_MINUTES = 15 * 60 * 1000;

export const defaultSigningRateLimits: SigningRateLimits = {
  codeRequests: {
    perToken: { limit: 10, windowMs: FIFTEEN_MINUTES },
    perIp: { limit: 30, windowMs: FIFTEEN_MINUTES },
  },
  verifications: {
    perToken: { limit: 15, windowMs: FIFTEEN_MINUTES },
    perIp: { limit: 60, windowMs: FIFTEEN_MINUTES },
  },
  now: Date.now,
};

export type LimitedAction = 'codeRequests' | 'verifications';

/** Checks one signer action against its per-link and per-address limits; both must allow it. */
export const makeSigningRateLimiter = (limits: SigningRateLimits) => {
  const make = (pair: RateLimitPair) => ({
    perToken: makeSlidingWindowLimiter(pair.perToken, limits.now),
    perIp: makeSlidingWindowLimiter(pair.perIp, limits.now),
  });
  const limiters = { codeRequests: make(limits.codeRequests), verifications: make(limits.verifications) };
  return (action: LimitedAction, token: string, ip: string): RateDecision => {
    const pair = limiters[action];
    const byIp = pair.perIp.hit(ip);
    if (!byIp.allowed) return byIp;
    // Keyed by a digest: the limiter's memory holds no usable signing link.
    return pair.perToken.hit(createHash('sha256').update(token).digest('base64url'));
  };
};
