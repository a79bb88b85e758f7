/**
 * Why the CRM (a `QuoteSource`) did not answer: `retryable` says whether the same call may succeed later (the CRM
 * unreachable, slow, or failing on its side) or never will (it refused the request, or answered what cannot be read).
 */
export interface CrmError {
  readonly _tag: 'CrmError';
  readonly retryable: boolean;
  /** Stable and secret-free: `UNREACHABLE`, `TIMEOUT`, `HTTP_503`, `HTTP_404`, `UNREADABLE_ANSWER`, `THREW`… */
  readonly reason: string;
  /** Anything more an operator may read (never personal data, a token or a key). */
  readonly detail?: string;
}

export const crmError = (retryable: boolean, reason: string, detail?: string): CrmError => ({
  _tag: 'CrmError',
  retryable,
  reason,
  ...(detail === undefined ? {} : { detail }),
});

/** No connection could be made: the CRM may be back later. */
export const crmUnreachable = (detail?: string): CrmError => crmError(true, 'UNREACHABLE', detail);

/** No answer in time: the CRM may answer later. */
export const crmTimeout = (detail?: string): CrmError => crmError(true, 'TIMEOUT', detail);

/** An HTTP answer that is not a success: 5xx, 408 and 429 may pass, any other 4xx is a refusal for good. */
export const crmHttpStatus = (status: number, detail?: string): CrmError =>
  crmError(status >= 500 || status === 408 || status === 429, `HTTP_${status}`, detail);

/** An answer that cannot be read (not the shape agreed): asking again brings the same answer. */
export const crmUnreadableAnswer = (detail?: string): CrmError =>
  crmError(false, 'UNREADABLE_ANSWER', detail);

/** Whether a value from outside (a CRM's own adapter, written in JavaScript) is a well-formed `CrmError`. */
export const isCrmError = (u: unknown): u is CrmError =>
  typeof u === 'object' &&
  u !== null &&
  (u as { _tag?: unknown })._tag === 'CrmError' &&
  typeof (u as { retryable?: unknown }).retryable === 'boolean' &&
  typeof (u as { reason?: unknown }).reason === 'string';
