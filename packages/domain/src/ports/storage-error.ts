/**
 * Why storage could not do what was asked, as the storage adapters classify it. `retryable` says whether the same
 * call may succeed if made again and making it again is safe; `reason` names what failed (never a row's values: they
 * may be personal data); `cause` is the driver's own message, cut short, for operators.
 */
export type StorageError =
  | StorageUnavailable
  | StorageTimeout
  | StorageConflict
  | StorageFull
  | StorageOutcomeUnknown
  | StorageUnreadable
  | StorageBroken
  | StorageConcurrentChange
  | StorageRecordMissing
  | StorageCreditRefused;

interface Failure<Tag extends string, Retryable extends boolean> {
  readonly _tag: Tag;
  readonly retryable: Retryable;
  readonly reason: string;
  readonly cause?: string;
}

/** The database restarted, the connection dropped or was refused, the database was busy: nothing was committed. */
export type StorageUnavailable = Failure<'StorageUnavailable', true>;
/** No answer in time (a connection, a statement): nothing was committed, the caller may try again later. */
export type StorageTimeout = Failure<'StorageTimeout', true>;
/** A deadlock or a serialization failure that running the unit of work again did not get past. */
export type StorageConflict = Failure<'StorageConflict', true>;
/** The database's disk is full: nothing was written; the call may be made again once space is freed. */
export type StorageFull = Failure<'StorageFull', true>;
/** The connection was lost while COMMIT was on its way: the change may or may not have been saved. */
export type StorageOutcomeUnknown = Failure<'StorageOutcomeUnknown', false>;
/** A stored record that does not decode, or one that would not read back once written: nothing was written. */
export type StorageUnreadable = Failure<'StorageUnreadable', false>;
/** A bug, a broken schema, a session used after its unit of work: retrying does not help. */
export type StorageBroken = Failure<'StorageBroken', false>;

/** Another writer got there first: the version moved on, or the id or idempotency key is already taken. */
export interface StorageConcurrentChange extends Failure<'StorageConcurrentChange', true> {
  readonly expectedVersion?: number;
  readonly storedVersion?: number;
}

/** The record to change is not stored (an update of an unknown procedure). */
export type StorageRecordMissing = Failure<'StorageRecordMissing', false>;

/** The ledger's last line of defence: the entries would drive `available` or `reserved` below zero. */
export interface StorageCreditRefused extends Failure<'StorageCreditRefused', false> {
  readonly reason: 'NO_CREDIT_AVAILABLE' | 'CREDIT_NOT_HELD';
}

const failure =
  <Tag extends StorageError['_tag'], Retryable extends boolean>(_tag: Tag, retryable: Retryable) =>
  (reason: string, cause?: string): Failure<Tag, Retryable> => ({
    _tag,
    retryable,
    reason,
    ...(cause === undefined ? {} : { cause }),
  });

export const storageUnavailable = failure('StorageUnavailable', true);
export const storageTimeout = failure('StorageTimeout', true);
export const storageConflict = failure('StorageConflict', true);
export const storageFull = failure('StorageFull', true);
export const storageUnreadable = failure('StorageUnreadable', false);
export const storageBroken = failure('StorageBroken', false);
export const storageRecordMissing = failure('StorageRecordMissing', false);

export const storageOutcomeUnknown = (cause?: string): StorageOutcomeUnknown =>
  failure('StorageOutcomeUnknown', false)('connection lost during commit', cause);

/** A version that moved on (`expectedVersion` / `storedVersion`), or a taken id or key named by `reason`. */
export const storageConcurrentChange = (
  reason: string,
  versions?: { readonly expectedVersion: number; readonly storedVersion: number },
): StorageConcurrentChange => ({ ...failure('StorageConcurrentChange', true)(reason), ...versions });

export const storageCreditRefused = (reason: StorageCreditRefused['reason']): StorageCreditRefused => ({
  _tag: 'StorageCreditRefused',
  retryable: false,
  reason,
});

const STORAGE_ERROR_TAGS: ReadonlySet<string> = new Set<StorageError['_tag']>([
  'StorageUnavailable',
  'StorageTimeout',
  'StorageConflict',
  'StorageFull',
  'StorageOutcomeUnknown',
  'StorageUnreadable',
  'StorageBroken',
  'StorageConcurrentChange',
  'StorageRecordMissing',
  'StorageCreditRefused',
]);

/** Whether a unit of work's failure came from storage itself rather than from the work it ran. */
export const isStorageError = (u: unknown): u is StorageError =>
  typeof u === 'object' && u !== null && STORAGE_ERROR_TAGS.has(String((u as { _tag?: unknown })._tag));
