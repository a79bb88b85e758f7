import type { DeliveryError } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import { retryAfterOf } from './delivery-failure.js';
import { nextRetryDelay, type RetryPolicy, withJitter } from './retry-policy.js';
import type { Sleep } from './sleep.js';

export interface RetryEvent<E> {
  /** The attempt that just failed (1 = the first one). */
  readonly attempt: number;
  readonly delayMs: number;
  readonly error: E;
}

export interface RetryOptions<E> {
  readonly policy: RetryPolicy;
  readonly sleep: Sleep;
  /** A value in [0, 1) for jitter; `Math.random` when absent (jitter needs no secrecy). */
  readonly random?: () => number;
  readonly isRetryable: (error: E) => boolean;
  /** A pause the remote side asked for; the longer of it and the backoff wins, both capped. */
  readonly retryAfterMs?: (error: E) => number | undefined;
  readonly onRetry?: (event: RetryEvent<E>) => void;
}

/** Runs `attempt(1)`, `attempt(2)`… until success, a non-retryable error or the last attempt; returns the last result. */
export const retryTaskEither =
  <E, A>(options: RetryOptions<E>) =>
  (attempt: (n: number) => TE.TaskEither<E, A>): TE.TaskEither<E, A> =>
  async () => {
    const { policy, sleep, isRetryable } = options;
    const random = options.random ?? Math.random;
    const maxAttempts = Math.max(1, Math.floor(policy.maxAttempts) || 1);
    for (let n = 1; ; n++) {
      const result = await attempt(n)();
      if (E.isRight(result) || n >= maxAttempts || !isRetryable(result.left)) return result;
      const backoff = withJitter(nextRetryDelay(n, policy), policy, random);
      const asked = options.retryAfterMs?.(result.left) ?? 0;
      const delayMs = Math.min(Math.max(0, policy.maxDelayMs), Math.max(backoff, asked));
      options.onRetry?.({ attempt: n, delayMs, error: result.left });
      await sleep(delayMs);
    }
  };

/** The shape `Mailer` and `SmsSender` share. */
export interface DeliveryPort<A, R> {
  readonly send: (message: A) => TE.TaskEither<DeliveryError, R>;
}

export interface RetryingOptions {
  readonly random?: () => number;
  /** Narrows which retryable errors are retried (e.g. not a timeout, after which the provider may have sent). */
  readonly retryWhen?: (error: DeliveryError) => boolean;
  readonly onRetry?: (event: RetryEvent<DeliveryError>) => void;
}

/**
 * Wraps a `Mailer` or `SmsSender` so that retryable `DeliveryError`s are retried with capped,
 * jittered exponential backoff. The message (and its stable id) is resent unchanged.
 */
export const retrying =
  (policy: RetryPolicy, sleep: Sleep, options: RetryingOptions = {}) =>
  <A, R>(port: DeliveryPort<A, R>): DeliveryPort<A, R> => ({
    send: (message) =>
      retryTaskEither<DeliveryError, R>({
        policy,
        sleep,
        isRetryable: (error) => error.retryable && (options.retryWhen?.(error) ?? true),
        retryAfterMs: retryAfterOf,
        ...(options.random === undefined ? {} : { random: options.random }),
        ...(options.onRetry === undefined ? {} : { onRetry: options.onRetry }),
      })(() => port.send(message)),
  });
