import { type DomainError, defaultTenantSettings, type TenantId, type TenantSettings } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import * as O from 'fp-ts/lib/Option.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import type { UseCaseSession } from './use-case-storage.js';

/** A tenant nobody configured has the default settings: e-signature off. */
export const loadSettings =
  (session: UseCaseSession, tenantId: TenantId): TE.TaskEither<DomainError, TenantSettings> =>
  async () => {
    const stored = await session.tenants.getSettings(tenantId)();
    if (E.isLeft(stored)) return stored;
    return E.right(O.isSome(stored.right) ? stored.right.value : defaultTenantSettings(tenantId));
  };
