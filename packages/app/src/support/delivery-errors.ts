import {
  type DeliveryError,
  type DomainError,
  deliveryError,
  domainError,
  errorCodes,
  isDeliveryError,
  isDomainError,
} from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import { isEither, runPortCall } from './port-call.js';

const knownCodes: ReadonlySet<string> = new Set(errorCodes);

/** A mail or SMS that could not be delivered, as the facade says it: the reason, and whether it may pass. */
export const deliveryErrorToDomain = (error: DeliveryError): DomainError =>
  domainError('DELIVERY_FAILURE', { reason: error.reason, retryable: error.retryable });

/** A lifecycle notification the CRM did not take, as the facade says it: a CRM failure of the `notify` call. */
export const notificationErrorToDomain = (error: DeliveryError): DomainError =>
  domainError('CRM_FAILURE', { call: 'notify', reason: error.reason, retryable: error.retryable });

/**
 * A notifier call's answer checked (the host may have written it): a throw, a rejection or a Left that is not a
 * `DeliveryError` is a retryable one; an answer that is not an Either is `UNREADABLE_ANSWER`, not retried (asking
 * again brings the same answer). A `DomainError` (a notifier written before the port had its own error) is
 * permanent only when it said so (`details.retryable: false`), as such notifiers were told.
 */
export const checkedNotifierCall =
  (call: () => TE.TaskEither<unknown, unknown>): TE.TaskEither<DeliveryError, unknown> =>
  async () => {
    const outcome = await runPortCall(call);
    if (outcome.threw) return E.left(deliveryError(true, 'THREW'));
    const answer = outcome.answer;
    if (!isEither(answer)) return E.left(deliveryError(false, 'UNREADABLE_ANSWER'));
    if (E.isRight(answer)) return answer;
    const left: unknown = answer.left;
    if (isDeliveryError(left)) return E.left(left);
    if (isDomainError(left) && knownCodes.has(left.code))
      return E.left(deliveryError(left.details?.retryable !== false, left.code));
    return E.left(deliveryError(true, 'UNRECOGNISED_ERROR'));
  };
