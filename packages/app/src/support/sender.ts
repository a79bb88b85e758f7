import type { CrmUser, DomainError, QuoteSource, TenantId, UserId } from '@paraphe/domain';
import { pipe } from 'fp-ts/lib/function.js';
import * as O from 'fp-ts/lib/Option.js';
import * as TE from 'fp-ts/lib/TaskEither.js';

/** The sender as the CRM knows them; an unknown user still has a name (their id) on emails and proofs. */
export const loadSender = (
  quotes: QuoteSource,
  tenantId: TenantId,
  userId: UserId,
): TE.TaskEither<DomainError, CrmUser> =>
  pipe(quotes.getUser(tenantId, userId), TE.map(O.getOrElse((): CrmUser => ({ id: userId, name: userId }))));
