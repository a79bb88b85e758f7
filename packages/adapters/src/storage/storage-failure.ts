import {
  isStorageError,
  type StorageError,
  storageBroken,
  storageConflict,
  storageFull,
  storageOutcomeUnknown,
  storageTimeout,
  storageUnavailable,
  storageUnreadable,
} from '@paraphe/domain';

const MAX_CAUSE_LENGTH = 300;

/**
 * What a driver's error means for the caller: `transient` (a restart, a dropped or refused connection, a busy
 * database: the same call may succeed later, and certainly did not commit), `conflict` (deadlock, serialization
 * failure: the unit of work is run again at once), `timeout` (no answer in time: a connection, a statement; the
 * caller may try again, but the unit of work is not re-run at once, its time is spent), `disk-full`, or `other` (a
 * bug or a broken schema: retrying does not help).
 */
export type FailureKind = 'transient' | 'conflict' | 'timeout' | 'disk-full' | 'other';

/** A bug, a broken schema, a misuse: names what failed without echoing row values (they may be personal data). */
export const storageFailure = (reason: string, cause?: unknown): StorageError =>
  storageBroken(reason, cause === undefined ? undefined : describeCause(cause));

/** A stored record that does not decode, or one that would not read back: the invalid fields, never their values. */
export const unreadable = (reason: string, invalidFields: string): StorageError =>
  storageUnreadable(reason, `invalid fields: ${invalidFields}`);

/** The connection was lost while COMMIT was on its way: the server may or may not have committed. */
export const outcomeUnknown = (cause: unknown): StorageError => storageOutcomeUnknown(describeCause(cause));

/** The error a unit of work reports for a driver's error of the given kind. */
export const failureOfKind = (kind: FailureKind, reason: string, cause: unknown): StorageError => {
  const described = describeCause(cause);
  switch (kind) {
    case 'transient':
      return storageUnavailable(reason, described);
    case 'conflict':
      return storageConflict(reason, described);
    case 'timeout':
      return storageTimeout(reason, described);
    case 'disk-full':
      return storageFull(reason, described);
    case 'other':
      return storageBroken(reason, described);
  }
};

const describeCause = (cause: unknown): string => {
  const text = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
  return text.length > MAX_CAUSE_LENGTH ? `${text.slice(0, MAX_CAUSE_LENGTH)}…` : text;
};

/** Turns whatever a unit of work threw into data: a StorageError thrown by mistake is kept as is. */
export const fromThrown =
  (reason: string) =>
  (cause: unknown): StorageError =>
    isStorageError(cause) ? cause : storageFailure(reason, cause);
