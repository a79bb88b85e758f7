import { canAdminister, type DomainError, domainError, type TenantId, type UserActor } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';

/** Admin-only actions: ordering credits, settings, activation. */
export const requireAdmin = (actor: UserActor): E.Either<DomainError, UserActor> =>
  canAdminister(actor, actor.tenantId) ? E.right(actor) : E.left(domainError('FORBIDDEN'));

/**
 * Another tenant's data answers as if it did not exist, so a user cannot learn which ids are taken elsewhere.
 */
export const requireSameTenant =
  <A extends { readonly tenantId: TenantId }>(actor: UserActor, notFound: DomainError) =>
  (record: A): E.Either<DomainError, A> =>
    record.tenantId === actor.tenantId ? E.right(record) : E.left(notFound);
