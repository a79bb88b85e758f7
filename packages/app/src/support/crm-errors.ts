import {
  type CrmError,
  crmError,
  crmUnreadableAnswer,
  type DomainError,
  domainError,
  errorCodes,
  isCrmError,
  isDomainError,
} from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import { isEither, runPortCall } from './port-call.js';

/** A throw or a rejection of the CRM's code: the CRM may answer the next time. */
export const CRM_THREW = 'THREW';
/** A Left that is neither a `CrmError` nor an error of ours: read as a failure that may pass, as a throw is. */
export const CRM_UNRECOGNISED_ERROR = 'UNRECOGNISED_ERROR';

const knownCodes: ReadonlySet<string> = new Set(errorCodes);
const isOurError = (u: unknown): u is DomainError => isDomainError(u) && knownCodes.has(u.code);

/**
 * Why a CRM call failed, as the facade says it: `CRM_INVALID_DATA` naming the call for an answer that cannot be read,
 * `CRM_FAILURE` otherwise; both keep the reason and whether the same call may succeed later.
 */
export const crmErrorToDomain =
  (call: string) =>
  (error: CrmError): DomainError =>
    error.reason === crmUnreadableAnswer().reason
      ? domainError('CRM_INVALID_DATA', { field: call, reason: error.reason, retryable: error.retryable })
      : domainError('CRM_FAILURE', { call, reason: error.reason, retryable: error.retryable });

/**
 * A CRM call's answer checked: the value, or why not. A throw, a rejection or a Left that is not a `CrmError` is a
 * retryable `CrmError`; an answer that is not an Either is `UNREADABLE_ANSWER`. A `DomainError` of ours (a CRM adapter
 * written before the port had its own error) is passed on as it is.
 */
export const checkedCrmCall =
  (call: () => TE.TaskEither<unknown, unknown>): TE.TaskEither<CrmError | DomainError, unknown> =>
  async () => {
    const outcome = await runPortCall(call);
    if (outcome.threw) return E.left(crmError(true, CRM_THREW));
    const answer = outcome.answer;
    if (!isEither(answer)) return E.left(crmUnreadableAnswer());
    if (E.isRight(answer)) return answer;
    if (isCrmError(answer.left) || isOurError(answer.left)) return E.left(answer.left);
    return E.left(crmError(true, CRM_UNRECOGNISED_ERROR));
  };

/**
 * A CRM failure as the port's own error, for deciding whether to try again: a `DomainError` passed on by an older
 * adapter is permanent only when it said so (`details.retryable: false`), as such adapters were told.
 */
export const asCrmError = (error: CrmError | DomainError): CrmError =>
  isCrmError(error) ? error : crmError(error.details?.retryable !== false, error.code);

/** A CRM failure as the facade says it (see `crmErrorToDomain`); a `DomainError` of ours stays as it is. */
export const crmFailureToDomain =
  (call: string) =>
  (error: CrmError | DomainError): DomainError =>
    isCrmError(error) ? crmErrorToDomain(call)(error) : error;
