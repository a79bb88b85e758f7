import {
  type AdminUseCases,
  type DomainError,
  decodeTenantSettings,
  decodeWith,
  defaultTenantSettings,
  domainError,
  exactType,
  IntBetween,
  purchaseCredits,
  type TenantSettings,
  Text,
  type UserActor,
} from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { decodeActor } from '../support/actor-codec.js';
import { requireAdmin } from '../support/authorisation.js';
import { INPUT_LIMITS } from '../support/inputs.js';
import { loadSettings } from '../support/settings.js';
import type { UseCaseDependencies } from './dependencies.js';

const decodeOrder = decodeWith(
  exactType({ quantity: IntBetween(1, 1_000_000), orderReference: Text(INPUT_LIMITS.id) }, {}, 'CreditOrder'),
);

const asAdmin = (actor: unknown): TE.TaskEither<DomainError, UserActor> =>
  TE.fromEither(pipe(decodeActor(actor), E.chain(requireAdmin)));

const isRecord = (u: unknown): u is Record<string, unknown> =>
  typeof u === 'object' && u !== null && !Array.isArray(u);

/** The fields a change may name, one level deep: what the default settings have. */
const knownFields: Readonly<Record<string, unknown>> = Object.fromEntries(
  Object.entries(defaultTenantSettings('')),
);

/**
 * A misspelt field (`procedureLifetimeDay`) would be stored and do nothing: it is refused, naming the field. So is
 * `esignatureActive`, which only activate/deactivate change, and any inherited key (`__proto__`, `constructor`).
 */
const unknownFields = (changes: Record<string, unknown>): ReadonlyArray<string> =>
  Object.entries(changes).flatMap(([key, value]) => {
    if (!Object.hasOwn(knownFields, key) || key === 'esignatureActive') return [key];
    const known = knownFields[key];
    return isRecord(value) && isRecord(known)
      ? Object.keys(value)
          .filter((field) => !Object.hasOwn(known, field))
          .map((field) => `${key}.${field}`)
      : [];
  });

/** Changes are merged one level deep (so `{ smsCode: { digits: 8 } }` keeps the other code settings), then decoded whole. */
const mergeSettings = (current: TenantSettings, changes: unknown): E.Either<DomainError, TenantSettings> => {
  if (!isRecord(changes)) return decodeTenantSettings(changes);
  const unknown = unknownFields(changes);
  if (unknown.length > 0) return E.left(domainError('INVALID_INPUT', { fields: unknown.join(', ') }));
  const merged: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(changes)) {
    const existing = merged[key];
    merged[key] = isRecord(existing) && isRecord(value) ? { ...existing, ...value } : value;
  }
  return decodeTenantSettings(merged);
};

/** Admin actions: activation (rule 0), credit orders (rule 1), settings. Users get `FORBIDDEN`. */
export const makeAdminUseCases = ({ storage, clock }: UseCaseDependencies): AdminUseCases => {
  const setActive = (active: boolean) => (actor: UserActor) =>
    pipe(
      asAdmin(actor),
      TE.chain((admin) =>
        storage.unitOfWork((session) =>
          pipe(
            loadSettings(session, admin.tenantId),
            TE.map((settings): TenantSettings => ({ ...settings, esignatureActive: active })),
            TE.chainFirst((settings) => session.tenants.saveSettings(admin.tenantId, settings)),
          ),
        ),
      ),
    );

  return {
    activate: setActive(true),
    deactivate: setActive(false),
    orderCredits: (actor, input) =>
      pipe(
        asAdmin(actor),
        TE.bindTo('admin'),
        TE.bind('order', () => TE.fromEither(decodeOrder(input))),
        TE.chain(({ admin, order }) =>
          storage.unitOfWork((session) =>
            pipe(
              session.ledger.balanceForUpdate(admin.tenantId),
              TE.chain(() =>
                TE.fromEither(
                  purchaseCredits(admin.tenantId, order.quantity, order.orderReference, clock.now()),
                ),
              ),
              TE.chain((entry) => session.ledger.append([entry])),
              TE.chain(() => session.ledger.balanceForUpdate(admin.tenantId)),
            ),
          ),
        ),
      ),
    updateSettings: (actor, changes) =>
      pipe(
        asAdmin(actor),
        TE.chain((admin) =>
          storage.unitOfWork((session) =>
            pipe(
              loadSettings(session, admin.tenantId),
              TE.chain((current) => TE.fromEither(mergeSettings(current, changes))),
              TE.chainFirst((settings) => session.tenants.saveSettings(admin.tenantId, settings)),
            ),
          ),
        ),
      ),
  };
};
