export interface RateLimit {
  /** Requests allowed in any window of `windowMs`. */
  readonly limit: number;
  readonly windowMs: number;
}

export type RateDecision =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly retryAfterMs: number };

export interface SlidingWindowLimiter {
  /** Counts one request for `key` if it is allowed; a refused request is not counted. */
  readonly hit: (key: string) => RateDecision;
}

/**
 * An in-memory sliding-window log per key. Why a log rather than fixed windows: a fixed window lets a client burst twice
 * the limit across a window boundary. Memory is bounded: past `maxKeys`, the least recently used key is forgotten.
 * One process only; several instances each count their own (the domain's per-procedure SMS limits still hold).
 */
export const makeSlidingWindowLimiter = (
  rule: RateLimit,
  now: () => number = Date.now,
  maxKeys = 100_000,
): SlidingWindowLimiter => {
  const log = new Map<string, number[]>();
  return {
    hit: (key) => {
      const at = now();
      const recent = (log.get(key) ?? []).filter((t) => t > at - rule.windowMs);
      // Re-inserting keeps the Map in least-recently-used order for the eviction below.
      log.delete(key);
      if (recent.length >= rule.limit) {
        log.set(key, recent);
        const oldest = recent[0] ?? at;
        return { allowed: false, retryAfterMs: Math.max(1, oldest + rule.windowMs - at) };
      }
      recent.push(at);
      log.set(key, recent);
      if (log.size > maxKeys) {
        const first = log.keys().next();
        if (first.done !== true) log.delete(first.value);
      }
      return { allowed: true };
    },
  };
};
