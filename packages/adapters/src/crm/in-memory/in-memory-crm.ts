import type {
  CrmUser,
  DomainError,
  FollowUpAction,
  LifecycleNotification,
  LifecycleNotifier,
  Quote,
  QuoteId,
  QuoteSource,
  TenantId,
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
  /** Makes the next calls fail with these errors, in order, whichever they are (fault tests); nothing is recorded. */
  readonly failNext: (...errors: ReadonlyArray<DomainError>) => void;
}

const key = (tenantId: string, id: string) => `${tenantId}\u0000${id}`;

export const makeInMemoryCrm = (): InMemoryCrm => {
  const quotes = new Map<string, Quote>();
  const users = new Map<string, CrmUser>();
  const followUpActions: FollowUpAction[] = [];
  const notifications: LifecycleNotification[] = [];
  const failures: DomainError[] = [];
  /** The call's answer: the next planned failure, if any, else what `answer` does. */
  const orFail =
    <A>(answer: () => TE.TaskEither<DomainError, A>): TE.TaskEither<DomainError, A> =>
    () => {
      const failure = failures.shift();
      return failure === undefined ? answer()() : TE.left(failure)();
    };
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
      orFail(() => TE.right(O.fromNullable(quotes.get(key(tenantId, quoteId))))),
    getUser: (tenantId, userId) => orFail(() => TE.right(O.fromNullable(users.get(key(tenantId, userId))))),
    createFollowUpAction: (action) =>
      orFail(() => {
        if (!followUpActions.some((a) => a.id === action.id)) followUpActions.push(action);
        return TE.right(undefined);
      }),
    notify: (notification) =>
      orFail(() => {
        notifications.push(notification);
        return TE.right(undefined);
      }),
  };
};
