import {
  type DocumentStore,
  type DomainError,
  isStorageError,
  type LedgerStore,
  type OutboxStore,
  type ProcedureStore,
  type Storage,
  type StorageError,
  type StorageSession,
  type TenantStore,
} from '@paraphe/domain';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { storageErrorToDomain } from './storage-errors.js';

/** A store of the storage port as the use cases see it: every failure already the facade's `DomainError`. */
type WithDomainErrors<S> = {
  readonly [K in keyof S]: S[K] extends (...args: infer P) => TE.TaskEither<StorageError, infer A>
    ? (...args: P) => TE.TaskEither<DomainError, A>
    : never;
};

export interface UseCaseSession {
  readonly tenants: WithDomainErrors<TenantStore>;
  readonly ledger: WithDomainErrors<LedgerStore>;
  readonly procedures: WithDomainErrors<ProcedureStore>;
  readonly documents: WithDomainErrors<DocumentStore>;
  readonly outbox: WithDomainErrors<OutboxStore>;
}

/** The storage the use cases run their units of work on: business refusals and storage failures, one error type. */
export interface UseCaseStorage {
  readonly unitOfWork: <A>(
    work: (session: UseCaseSession) => TE.TaskEither<DomainError, A>,
  ) => TE.TaskEither<DomainError, A>;
}

const mapped = TE.mapLeft(storageErrorToDomain);

const tenantsOf = (s: TenantStore): UseCaseSession['tenants'] => ({
  getSettings: (...a) => mapped(s.getSettings(...a)),
  saveSettings: (...a) => mapped(s.saveSettings(...a)),
});

const ledgerOf = (s: LedgerStore): UseCaseSession['ledger'] => ({
  balanceForUpdate: (...a) => mapped(s.balanceForUpdate(...a)),
  append: (...a) => mapped(s.append(...a)),
  entries: (...a) => mapped(s.entries(...a)),
});

const proceduresOf = (s: ProcedureStore): UseCaseSession['procedures'] => ({
  get: (...a) => mapped(s.get(...a)),
  findByTokenHash: (...a) => mapped(s.findByTokenHash(...a)),
  findByIdempotencyKey: (...a) => mapped(s.findByIdempotencyKey(...a)),
  listByQuote: (...a) => mapped(s.listByQuote(...a)),
  insert: (...a) => mapped(s.insert(...a)),
  update: (...a) => mapped(s.update(...a)),
  claimDue: (...a) => mapped(s.claimDue(...a)),
  oldestOverdue: (...a) => mapped(s.oldestOverdue(...a)),
  listAwaitingSigner: (...a) => mapped(s.listAwaitingSigner(...a)),
});

const documentsOf = (s: DocumentStore): UseCaseSession['documents'] => ({
  put: (...a) => mapped(s.put(...a)),
  get: (...a) => mapped(s.get(...a)),
});

const outboxOf = (s: OutboxStore): UseCaseSession['outbox'] => ({
  enqueue: (...a) => mapped(s.enqueue(...a)),
  claimDue: (...a) => mapped(s.claimDue(...a)),
  claimByIds: (...a) => mapped(s.claimByIds(...a)),
  markDelivered: (...a) => mapped(s.markDelivered(...a)),
  markAttemptFailed: (...a) => mapped(s.markAttemptFailed(...a)),
  oldestDue: (...a) => mapped(s.oldestDue(...a)),
  list: (...a) => mapped(s.list(...a)),
});

/** The session with each store mapped when first used, as the SQL sessions make their stores: most works use few. */
const sessionOf = (session: StorageSession): UseCaseSession => {
  let tenants: UseCaseSession['tenants'] | undefined;
  let ledger: UseCaseSession['ledger'] | undefined;
  let procedures: UseCaseSession['procedures'] | undefined;
  let documents: UseCaseSession['documents'] | undefined;
  let outbox: UseCaseSession['outbox'] | undefined;
  return {
    get tenants() {
      tenants ??= tenantsOf(session.tenants);
      return tenants;
    },
    get ledger() {
      ledger ??= ledgerOf(session.ledger);
      return ledger;
    },
    get procedures() {
      procedures ??= proceduresOf(session.procedures);
      return procedures;
    },
    get documents() {
      documents ??= documentsOf(session.documents);
      return documents;
    },
    get outbox() {
      outbox ??= outboxOf(session.outbox);
      return outbox;
    },
  };
};

/**
 * The storage port's `StorageError`s mapped to the facade's `DomainError` (see `storageErrorToDomain`), at each store
 * call and for the unit of work's own failures (a lost connection, a refused COMMIT). The adapter still sees every
 * failure of its own: it records them itself, so its rollbacks and re-runs do not depend on what the work returns.
 */
export const withDomainErrors = (storage: Storage): UseCaseStorage => ({
  unitOfWork: (work) =>
    TE.mapLeft((error: DomainError | StorageError) =>
      isStorageError(error) ? storageErrorToDomain(error) : error,
    )(storage.unitOfWork((session) => work(sessionOf(session)))),
});
