import {
  type DomainError,
  defaultTenantSettings,
  type StorageSession,
  type TenantId,
  type TenantSettings,
} from '@paraphe/domain';
import { pipe } from 'fp-ts/lib/function.js';
import * as O from 'fp-ts/lib/Option.js';
import * as TE from 'fp-ts/lib/TaskEither.js';

/** A tenant nobody configured has the default settings: e-signature off. */
export const loadSettings = (
  session: StorageSession,
  tenantId: TenantId,
): TE.TaskEither<DomainError, TenantSettings> =>
  pipe(session.tenants.getSettings(tenantId), TE.map(O.getOrElse(() => defaultTenantSettings(tenantId))));
