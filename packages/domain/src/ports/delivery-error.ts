/**
 * Why a mail, SMS or lifecycle-notification adapter could not deliver; `retryable` decides between backoff and
 * giving up: a permanent refusal (an address or number refused for good, an HTTP 4xx) is never attempted again.
 */
export interface DeliveryError {
  readonly _tag: 'DeliveryError';
  readonly retryable: boolean;
  /** A stable, secret-free reason such as `SMTP_REJECTED`, `TIMEOUT`, `HTTP_500`, `INVALID_NUMBER`. */
  readonly reason: string;
  readonly detail?: string;
  /** How many attempts an adapter that retries by itself (the webhook notifier) made before answering. */
  readonly attempts?: number;
}

export const deliveryError = (retryable: boolean, reason: string, detail?: string): DeliveryError => ({
  _tag: 'DeliveryError',
  retryable,
  reason,
  ...(detail === undefined ? {} : { detail }),
});

/** A failure that may pass (a timeout, a server error, a rate limit): delivery backs off and tries again. */
export const deliveryFailedForNow = (reason: string, detail?: string): DeliveryError =>
  deliveryError(true, reason, detail);

/** A refusal for good: delivery gives the message up after this one attempt. */
export const deliveryRefused = (reason: string, detail?: string): DeliveryError =>
  deliveryError(false, reason, detail);

/** Whether a value from outside (an adapter written in JavaScript) is a well-formed `DeliveryError`. */
export const isDeliveryError = (u: unknown): u is DeliveryError =>
  typeof u === 'object' &&
  u !== null &&
  (u as { _tag?: unknown })._tag === 'DeliveryError' &&
  typeof (u as { retryable?: unknown }).retryable === 'boolean' &&
  typeof (u as { reason?: unknown }).reason === 'string';
