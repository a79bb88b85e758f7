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
  type QuoteId,
  type QuoteSource,
  type TenantId,
} from '@paraphe/domain';
import * as O from 'fp-ts/lib/Option.js';
import * as TE from 'fp-ts/lib/TaskEither.js';

/** A CRM kept in memory: quotes, users, the follow-up actions Paraphe asked for and the notifications it sent. */
export interface InMemoryCrm extends QuoteSource, LifecycleNotifier {
  readonly putQuote: (quote: Quote) => void;
  readonly putUser: (tenantId: TenantId, user: CrmUser) => void;
  readonly quote: (tenantId: TenantId, quoteId: QuoteId) => Quote | undefined;
  readonly followUpActions: ReadonlyArray<FollowUpAction>;
  readonly notifications: ReadonlyArray<LifecycleNotification>;
  /**
   * Makes the next calls fail, in order, whichever they are (fault tests); nothing is recorded. Each failure is
   * answered in the called port's own error type: a `CrmError` from the quote source, a `DeliveryError` from `notify`.
   */
  readonly failNext: (...failures: ReadonlyArray<CrmError | DeliveryError>) => void;
}

const key = (tenantId: string, id: string) => `${tenantId}\u0000${id}`;

export const makeInMemoryCrm = (): InMemoryCrm => {
  const quotes = new Map<string, Quote>();
  const users = new Map<string, CrmUser>();
  const followUpActions: FollowUpAction[] = [];
  const notifications: LifecycleNotification[] = [];
  const failures: Array<CrmError | DeliveryError> = [];
  /** The call's answer: the next planned failure, if any, in the port's own error type, else what `answer` does. */
  const orFail =
    <E, A>(
      as: (failure: CrmError | DeliveryError) => E,
      answer: () => TE.TaskEither<E, A>,
    ): TE.TaskEither<E, A> =>
    () => {
      const failure = failures.shift();
      return failure === undefined ? answer()() : TE.left(as(failure))();
    };
  const asCrm = (f: CrmError | DeliveryError): CrmError => crmError(f.retryable, f.reason, f.detail);
  const asDelivery = (f: CrmError | DeliveryError): DeliveryError =>
    deliveryError(f.retryable, f.reason, f.detail);
  return {
    putQuote: (quote) => {
      quotes.set(key(quote.tenantId, quote.id), quote);
    },
    putUser: (tenantId, user) => {
      users.set(key(tenantId, user.id), user);
    },
    quote: (tenantId, quoteId) => quotes.get(key(tenantId, quoteId)),
    followUpActions,
    notifications,
    failNext: (...errors) => {
      failures.push(...errors);
    },
    getQuote: (tenantId, quoteId) =>
      orFail(asCrm, () => TE.right(O.fromNullable(quotes.get(key(tenantId, quoteId))))),
    getUser: (tenantId, userId) =>
      orFail(asCrm, () => TE.right(O.fromNullable(users.get(key(tenantId, userId))))),
    createFollowUpAction: (action) =>
      orFail(asCrm, () => {
        if (!followUpActions.some((a) => a.id === action.id)) followUpActions.push(action);
        return TE.right(undefined);
      }),
    notify: (notification) =>
      orFail(asDelivery, () => {
        notifications.push(notification);
        return TE.right(undefined);
      }),
  };
};
