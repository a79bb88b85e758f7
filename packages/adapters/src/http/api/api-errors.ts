import type { DomainError, ErrorCode, LocalisedText } from '@paraphe/domain';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** Every error code's HTTP status; a new code fails the type check until someone decides its status here. */
const statusOf: Readonly<Record<ErrorCode, ContentfulStatusCode>> = {
  ESIGNATURE_NOT_ACTIVATED: 409,
  NO_CONTACT: 422,
  CONTACT_EMAIL_MISSING: 422,
  CONTACT_EMAIL_INVALID: 422,
  CONTACT_MOBILE_MISSING: 422,
  CONTACT_MOBILE_INVALID: 422,
  CONTACT_MOBILE_NOT_MOBILE: 422,
  DOCUMENT_MISSING: 422,
  // Send refusals about the signers asked for, like the contact's.
  TOO_MANY_SIGNERS: 422,
  SIGNER_DUPLICATE: 422,
  SIGNER_NOT_ON_QUOTE: 422,
  COUNTERSIGNER_NOT_FOUND: 422,
  PROCEDURE_IN_PROGRESS_OR_SIGNED: 409,
  NO_CREDIT_AVAILABLE: 409,
  IDEMPOTENCY_KEY_CONFLICT: 409,
  SEND_REFUSED: 422,
  DOCUMENT_UNREADABLE: 422,
  DOCUMENT_ENCRYPTED: 422,
  DOCUMENT_TOO_LARGE: 422,
  DOCUMENT_NOT_AVAILABLE: 409,
  FORBIDDEN: 403,
  // A deployment error, never a request's: it is found when Paraphe is created.
  INVALID_CONFIG: 500,
  INVALID_INPUT: 400,
  QUOTE_NOT_FOUND: 404,
  PROCEDURE_NOT_FOUND: 404,
  LINK_INVALID: 404,
  INVALID_CREDIT_QUANTITY: 400,
  CREDIT_ALREADY_HELD: 409,
  CREDIT_NOT_HELD: 409,
  TRANSITION_NOT_ALLOWED: 409,
  PROCEDURE_EXPIRED: 409,
  PROCEDURE_ENDED: 409,
  NOT_YET_DUE: 409,
  CONSENT_REQUIRED: 422,
  CODE_NOT_VERIFIED: 409,
  CODE_COOLDOWN: 429,
  CODE_LIMIT_REACHED: 429,
  NO_ACTIVE_CODE: 409,
  CODE_EXPIRED: 409,
  // A later signer before their turn: the state, not the request, is wrong.
  NOT_YOUR_TURN: 409,
  STORAGE_FAILURE: 503,
  STORAGE_FULL: 503,
  // Like a gateway that timed out: the change may have happened, so a client must not replay it blindly.
  STORAGE_OUTCOME_UNKNOWN: 504,
  CONCURRENT_MODIFICATION: 409,
  DELIVERY_FAILURE: 502,
  SEALING_FAILURE: 500,
  CRM_FAILURE: 502,
  CRM_INVALID_DATA: 502,
};

export interface ErrorBody {
  readonly code: string;
  readonly message: LocalisedText;
  readonly details?: DomainError['details'];
  readonly fields?: ReadonlyArray<string>;
  readonly reasons?: ReadonlyArray<ErrorBody>;
}

const fieldsOf = (error: DomainError): ReadonlyArray<string> | undefined => {
  const fields = error.details?.fields;
  return typeof fields === 'string' ? fields.split(', ').filter((f) => f !== '') : undefined;
};

/** The JSON of a domain error: its stable code, both messages, and for a refused send every reason. */
export const errorBody = (error: DomainError): ErrorBody => {
  const fields = fieldsOf(error);
  return {
    code: error.code,
    message: error.message,
    ...(error.details === undefined ? {} : { details: error.details }),
    ...(fields === undefined ? {} : { fields }),
    ...(error.reasons === undefined ? {} : { reasons: error.reasons.map(errorBody) }),
  };
};

/** A sealing failure that may pass (a trust service down) is the server's for now: 503, so clients retry. */
const statusFor = (error: DomainError): ContentfulStatusCode =>
  error.code === 'SEALING_FAILURE' && error.details?.retryable === true ? 503 : statusOf[error.code];

export const domainErrorResponse = (c: Context, error: DomainError): Response =>
  c.json(errorBody(error), statusFor(error));

/** Errors of the HTTP layer itself, shaped like domain errors. */
export const httpError = (
  c: Context,
  status: ContentfulStatusCode,
  code: string,
  message: LocalisedText,
  extra: { readonly fields?: ReadonlyArray<string> } = {},
): Response => c.json({ code, message, ...extra }, status);

export const unauthenticated = (c: Context): Response =>
  httpError(c, 401, 'UNAUTHENTICATED', {
    fr: 'Authentification requise',
    en: 'Authentication required',
  });
