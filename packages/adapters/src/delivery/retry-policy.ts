/** How often and how patiently a delivery is retried. */
export interface RetryPolicy {
  /** Total attempts, the first one included (1 = no retry). */
  readonly maxAttempts: number;
  /** Delay before the first retry. */
  readonly baseDelayMs: number;
  /** No delay ever exceeds this, jitter and `Retry-After` included. */
  readonly maxDelayMs: number;
  /** Growth factor between two retries; 2 when absent. */
  readonly factor?: number;
  /** Share of the delay that is randomised, 0 (none) to 1 (full jitter); 0.5 when absent. */
  readonly jitter?: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  factor: 2,
  jitter: 0.5,
};

const finiteOr = (value: number | undefined, fallback: number): number =>
  value !== undefined && Number.isFinite(value) ? value : fallback;

/**
 * The delay before retry number `attempt` (1 = first retry), before jitter: exponential,
 * never decreasing, never above `maxDelayMs`. Nonsensical inputs are clamped, not thrown on.
 */
export const nextRetryDelay = (attempt: number, policy: RetryPolicy): number => {
  const cap = Math.max(0, finiteOr(policy.maxDelayMs, 0));
  const base = Math.min(cap, Math.max(0, finiteOr(policy.baseDelayMs, 0)));
  const factor = Math.max(1, finiteOr(policy.factor, 2));
  const exponent = Math.max(0, Math.floor(finiteOr(attempt, 1)) - 1);
  // factor ** exponent overflows to Infinity for large attempts (and 0 × Infinity is NaN).
  const raw = base === 0 ? 0 : base * factor ** exponent;
  return Number.isFinite(raw) ? Math.min(cap, Math.round(raw)) : cap;
};

/**
 * Spreads retries of many clients apart: removes up to `jitter` of the delay, drawn from
 * `random` (a value in [0, 1)), so the result stays within [delay × (1 − jitter), delay].
 */
export const withJitter = (delayMs: number, policy: RetryPolicy, random: () => number): number => {
  const share = Math.min(1, Math.max(0, finiteOr(policy.jitter, 0.5)));
  const r = Math.min(1, Math.max(0, finiteOr(random(), 0)));
  return Math.round(delayMs * (1 - share * r));
};
