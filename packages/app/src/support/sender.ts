import type { CrmUser, DomainError, QuoteSource, TenantId, UserId } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import * as O from 'fp-ts/lib/Option.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import { decodeCrmUser, lookUpInCrm } from './crm-answers.js';

/** The sender as the CRM knows them; an unknown user still has a name (their id) on emails and proofs. */
export const loadSender =
  (quotes: QuoteSource, tenantId: TenantId, userId: UserId): TE.TaskEither<DomainError, CrmUser> =>
  async () => {
    const user = await lookUpInCrm('getUser', () => quotes.getUser(tenantId, userId), decodeCrmUser)();
    if (E.isLeft(user)) return user;
    return E.right(O.isSome(user.right) ? user.right.value : { id: userId, name: userId });
  };
