import { type DomainError, domainError, type ErrorDetails } from '../errors.js';

/** The codes a sealing port may answer with: the document's own problems, a failed seal, a broken configuration. */
export const SEALING_ERROR_CODES = [
  'DOCUMENT_UNREADABLE',
  'DOCUMENT_ENCRYPTED',
  'DOCUMENT_TOO_LARGE',
  'SEALING_FAILURE',
  'INVALID_CONFIG',
  'INVALID_INPUT',
] as const;
export type SealingErrorCode = (typeof SEALING_ERROR_CODES)[number];

/**
 * Why the sealer or the certificate renderer gave no PDF. `retryable` when a trust service it needs (the timestamp
 * authority, an OCSP responder or CRL, a remote signing key) failed or did not answer in time: the same seal may
 * succeed later. A document that cannot be sealed, or a configuration that cannot seal, never will.
 */
export interface SealingError {
  readonly _tag: 'SealingError';
  readonly code: SealingErrorCode;
  readonly retryable: boolean;
  /** Secret-free: a reason, a size, a field name. */
  readonly details?: ErrorDetails;
}

export const sealingError = (
  code: SealingErrorCode,
  details?: ErrorDetails,
  retryable = false,
): SealingError =>
  details === undefined
    ? { _tag: 'SealingError', code, retryable }
    : { _tag: 'SealingError', code, retryable, details };

/** A trust service that failed for now: the seal is refused, and may be tried again. */
export const sealingServiceUnavailable = (reason: string): SealingError =>
  sealingError('SEALING_FAILURE', { reason }, true);

/** Whether a value from outside (a sealer written in JavaScript) is a well-formed `SealingError`. */
export const isSealingError = (u: unknown): u is SealingError =>
  typeof u === 'object' &&
  u !== null &&
  (u as { _tag?: unknown })._tag === 'SealingError' &&
  typeof (u as { retryable?: unknown }).retryable === 'boolean' &&
  (SEALING_ERROR_CODES as ReadonlyArray<unknown>).includes((u as { code?: unknown }).code);

/** A sealing failure as the facade says it: its code and details, and `retryable: true` when it may pass. */
export const sealingErrorToDomain = (error: SealingError): DomainError =>
  domainError(error.code, error.retryable ? { ...error.details, retryable: true } : error.details);
