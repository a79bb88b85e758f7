import {
  type CrmError,
  type CrmUser,
  crmError,
  type DeliveryError,
  deliveryError,
  type FollowUpAction,
  type LifecycleNotification,
  type LifecycleNotifier,
  type Quote,
  type QuoteSource,
} from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import * as O from 'fp-ts/lib/Option.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';

/** The CRM written with plain async functions: a lookup resolves to the value or `null` when unknown. */
export interface AsyncQuoteSource {
  readonly getQuote: (tenantId: string, quoteId: string) => Promise<Quote | null>;
  readonly getUser: (tenantId: string, userId: string) => Promise<CrmUser | null>;
  /** Creates the follow-up action; idempotent on `action.id`. */
  readonly createFollowUpAction: (action: FollowUpAction) => Promise<void>;
}

/** Lifecycle notifications for a CRM written with async functions; a rejection is a failed delivery, retried. */
export interface AsyncLifecycleNotifier {
  readonly notify: (notification: LifecycleNotification) => Promise<void>;
}

/**
 * A throw or a rejection of the CRM's code is a failure that may pass (`THREW`, retryable): the facade says
 * `CRM_FAILURE`, the outbox tries again later. Its message is not kept: it may hold personal data.
 */
const attempt =
  <Failure, A>(failure: Failure, run: () => Promise<A>): TE.TaskEither<Failure, A> =>
  async () => {
    try {
      return E.right(await run());
    } catch {
      return E.left(failure);
    }
  };

const threw: CrmError = crmError(true, 'THREW');
const notDelivered: DeliveryError = deliveryError(true, 'THREW');

const orNone = <A>(value: A | null | undefined): O.Option<A> =>
  value === null || value === undefined ? O.none : O.some(value);

/** The port Paraphe calls, over the CRM's async functions; what they return is still decoded by the use cases. */
export const fromAsyncQuoteSource = (source: AsyncQuoteSource): QuoteSource => ({
  getQuote: (tenantId, quoteId) => async () =>
    E.map(orNone<Quote>)(await attempt(threw, () => source.getQuote(tenantId, quoteId))()),
  getUser: (tenantId, userId) => async () =>
    E.map(orNone<CrmUser>)(await attempt(threw, () => source.getUser(tenantId, userId))()),
  createFollowUpAction: (action) => attempt(threw, () => source.createFollowUpAction(action)),
});

export const fromAsyncNotifier = (notifier: AsyncLifecycleNotifier): LifecycleNotifier => ({
  notify: (notification) => attempt(notDelivered, () => notifier.notify(notification)),
});
