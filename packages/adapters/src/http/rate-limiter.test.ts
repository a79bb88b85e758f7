import { describe, expect, it } from 'vitest';
import { makeSlidingWindowLimiter } from './rate-limiter.js';

describe('makeSlidingWindowLimiter', () => {
  it('allows `limit` requests in any window, then says when the oldest one leaves it', () => {
    let now = 0;
    const limiter = makeSlidingWindowLimiter({ limit: 3, windowMs: 1000 }, () => now);
    expect([limiter.hit('k'), limiter.hit('k'), limiter.hit('k')].every((d) => d.allowed)).toBe(true);
    now = 400;
    expect(limiter.hit('k')).toEqual({ allowed: false, retryAfterMs: 600 });
    expect(limiter.hit('other').allowed).toBe(true);
    now = 1001;
    expect(limiter.hit('k').allowed).toBe(true);
  });

  it('slides: no burst of twice the limit across a boundary', () => {
    let now = 900;
    const limiter = makeSlidingWindowLimiter({ limit: 2, windowMs: 1000 }, () => now);
    limiter.hit('k');
    limiter.hit('k');
    now = 1100;
    expect(limiter.hit('k').allowed).toBe(false);
  });

  it('does not count refused requests, and forgets the least recently used key past maxKeys', () => {
    let now = 0;
    const limiter = makeSlidingWindowLimiter({ limit: 1, windowMs: 1000 }, () => now, 2);
    limiter.hit('a');
    for (let i = 0; i < 5; i++) limiter.hit('a');
    now = 1000;
    expect(limiter.hit('a').allowed).toBe(true);
    limiter.hit('b');
    limiter.hit('c');
    expect(limiter.hit('a').allowed).toBe(true);
  });
});
