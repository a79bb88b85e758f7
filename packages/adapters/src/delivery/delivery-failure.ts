import { type DeliveryError, deliveryError } from '@paraphe/domain';

/**
 * A `DeliveryError` that may carry the provider's own pacing (`Retry-After`); it is still a
 * plain `DeliveryError` for the domain, the retry wrapper reads the hint when present.
 */
export type PacedDeliveryError = DeliveryError & { readonly retryAfterMs?: number };

export const pacedDeliveryError = (
  reason: string,
  retryAfterMs: number | undefined,
  detail?: string,
): PacedDeliveryError => ({
  ...deliveryError(true, reason, detail),
  ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
});

/** The provider's requested pause, if the error carries a usable one. */
export const retryAfterOf = (error: DeliveryError): number | undefined => {
  const hint = (error as PacedDeliveryError).retryAfterMs;
  return typeof hint === 'number' && Number.isFinite(hint) && hint >= 0 ? hint : undefined;
};

/**
 * Reads an HTTP `Retry-After` header (delta-seconds or an HTTP date) as milliseconds.
 * Absent or unreadable → `undefined`; a date in the past → 0.
 */
export const parseRetryAfter = (header: string | null | undefined, now: Date): number | undefined => {
  if (header === null || header === undefined || header.trim() === '') return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
};
