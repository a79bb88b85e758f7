/** Why a mail or SMS adapter could not deliver; `retryable` decides between backoff and giving up. */
export interface DeliveryError {
  readonly _tag: 'DeliveryError';
  readonly retryable: boolean;
  /** A stable, secret-free reason such as `SMTP_REJECTED`, `TIMEOUT`, `HTTP_500`, `INVALID_NUMBER`. */
  readonly reason: string;
  readonly detail?: string;
}

export const deliveryError = (retryable: boolean, reason: string, detail?: string): DeliveryError => ({
  _tag: 'DeliveryError',
  retryable,
  reason,
  ...(detail === undefined ? {} : { detail }),
});
