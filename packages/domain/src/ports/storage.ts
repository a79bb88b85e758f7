import type * as O from 'fp-ts/lib/Option.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import type { CreditBalance, LedgerEntry } from '../credit-ledger/credit-ledger.js';
import type { ProcedureId, QuoteId, Sha256Hex, TenantId } from '../shared/types.js';
import type { SignatureProcedure } from '../signature-procedure/signature-procedure.js';
import type { TenantSettings } from '../tenant-settings/tenant-settings.js';
import type { OutboxStore } from './outbox.js';
import type { RecordBatch } from './record-batch.js';
import type { StorageError } from './storage-error.js';

export interface TenantStore {
  /** A tenant's settings; `None` when no admin has saved any. */
  readonly getSettings: (tenantId: TenantId) => TE.TaskEither<StorageError, O.Option<TenantSettings>>;
  /** Creates or replaces a tenant's settings (upsert); settings it could not read back are `StorageUnreadable`. */
  readonly saveSettings: (tenantId: TenantId, settings: TenantSettings) => TE.TaskEither<StorageError, void>;
}

export interface LedgerStore {
  /** The tenant's balance, locked until the unit of work ends so that no other writer can spend the same credit. */
  readonly balanceForUpdate: (tenantId: TenantId) => TE.TaskEither<StorageError, CreditBalance>;
  /**
   * Appends entries (all of one tenant) and moves the balance with them, in the current unit of work; entries it could
   * not read back are `StorageUnreadable` and none is appended; entries that would drive `available` or `reserved`
   * below zero are `StorageCreditRefused`.
   */
  readonly append: (entries: ReadonlyArray<LedgerEntry>) => TE.TaskEither<StorageError, void>;
  /** Every entry of a tenant, oldest first; their fold always equals the balance. */
  readonly entries: (tenantId: TenantId) => TE.TaskEither<StorageError, ReadonlyArray<LedgerEntry>>;
}

export interface ProcedureStore {
  /** Unknown id → `None`. */
  readonly get: (id: ProcedureId) => TE.TaskEither<StorageError, O.Option<SignatureProcedure>>;
  /** Looks a signing link up by the hash of its token; unknown → `None`. */
  readonly findByTokenHash: (
    tokenHash: Sha256Hex,
  ) => TE.TaskEither<StorageError, O.Option<SignatureProcedure>>;
  readonly findByIdempotencyKey: (
    tenantId: TenantId,
    key: string,
  ) => TE.TaskEither<StorageError, O.Option<SignatureProcedure>>;
  /** A quote's procedures, oldest first. */
  readonly listByQuote: (
    tenantId: TenantId,
    quoteId: QuoteId,
  ) => TE.TaskEither<StorageError, ReadonlyArray<SignatureProcedure>>;
  /** Stores a new procedure; an existing id (or idempotency key) is `StorageConcurrentChange`, an unreadable one
   * `StorageUnreadable`. */
  readonly insert: (procedure: SignatureProcedure) => TE.TaskEither<StorageError, void>;
  /**
   * Replaces a procedure only if the stored version is `expectedVersion`; otherwise `StorageConcurrentChange` (an unknown
   * one `StorageRecordMissing`). A procedure it could not read back is `StorageUnreadable`, and the stored one stays.
   */
  readonly update: (
    procedure: SignatureProcedure,
    expectedVersion: number,
  ) => TE.TaskEither<StorageError, void>;
  /**
   * Claims up to `limit` procedures in progress (sent, opened, verified) whose deadline is at or before `now`;
   * concurrent claimers never get the same one. Cost grows with the number due, not the total. A row that does not
   * decode is claimed too and returned apart, in `unreadable`: it counts towards `limit` and keeps its lease.
   */
  readonly claimDue: (
    now: Date,
    limit: number,
  ) => TE.TaskEither<StorageError, RecordBatch<SignatureProcedure>>;
  /** The earliest deadline at or before `now` of a procedure still awaiting its signer (an expiry not yet swept). */
  readonly oldestOverdue: (now: Date) => TE.TaskEither<StorageError, O.Option<Date>>;
  /**
   * Procedures still waiting for the signer (sent, opened, verified) whose deadline is after `now`, for reminders;
   * a row that does not decode is returned apart, in `unreadable`, and counts towards `limit`.
   */
  readonly listAwaitingSigner: (
    now: Date,
    limit: number,
  ) => TE.TaskEither<StorageError, RecordBatch<SignatureProcedure>>;
}

export type DocumentKind = 'original' | 'signed' | 'certificate';

export interface DocumentStore {
  /**
   * Stores bytes once per (procedure, kind); writing the same key again replaces them. Bytes that are not a
   * `Uint8Array` are `StorageBroken`.
   */
  readonly put: (
    procedureId: ProcedureId,
    kind: DocumentKind,
    bytes: Uint8Array,
  ) => TE.TaskEither<StorageError, void>;
  /** Missing → `None`. */
  readonly get: (
    procedureId: ProcedureId,
    kind: DocumentKind,
  ) => TE.TaskEither<StorageError, O.Option<Uint8Array>>;
}

/** What one unit of work can read and write. */
export interface StorageSession {
  readonly tenants: TenantStore;
  readonly ledger: LedgerStore;
  readonly procedures: ProcedureStore;
  readonly documents: DocumentStore;
  readonly outbox: OutboxStore;
}

export interface Storage {
  /**
   * Runs `work` atomically: everything it wrote commits together when it returns Right,
   * and nothing is kept when it returns Left or throws.
   */
  readonly unitOfWork: <E, A>(
    work: (session: StorageSession) => TE.TaskEither<E, A>,
  ) => TE.TaskEither<E | StorageError, A>;
}
