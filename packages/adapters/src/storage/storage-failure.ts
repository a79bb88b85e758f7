import { type DomainError, domainError } from '@paraphe/domain';

const MAX_CAUSE_LENGTH = 300;

/**
 * What a driver's error means for the caller: `transient` (a restart, a dropped or refused connection, a busy
 * database: the same call may succeed later, and certainly did not commit), `conflict` (deadlock, serialization
 * failure: the unit of work is run again at once), `timeout` (no answer in time: a connection, a statement; the
 * caller may try again, but the unit of work is not re-run at once, its time is spent), `disk-full`, or `other` (a
 * bug or a broken schema: retrying does not help).
 */
export type FailureKind = 'transient' | 'conflict' | 'timeout' | 'disk-full' | 'other';

/** Names what failed without echoing row values (they may be personal data); library messages are truncated. */
export const storageFailure = (reason: string, cause?: unknown, retryable = false): DomainError =>
  domainError('STORAGE_FAILURE', {
    reason,
    retryable,
    ...(cause === undefined ? {} : { cause: describeCause(cause) }),
  });

/** The database's disk is full: nothing was written, the call may be made again once space is freed. */
export const storageFull = (reason: string, cause: unknown): DomainError =>
  domainError('STORAGE_FULL', { reason, retryable: true, cause: describeCause(cause) });

/** The connection was lost while COMMIT was on its way: the server may or may not have committed. */
export const storageOutcomeUnknown = (cause: unknown): DomainError =>
  domainError('STORAGE_OUTCOME_UNKNOWN', {
    reason: 'connection lost during commit',
    retryable: false,
    cause: describeCause(cause),
  });

/** The error a unit of work reports for a driver's error of the given kind. */
export const failureOfKind = (kind: FailureKind, reason: string, cause: unknown): DomainError =>
  kind === 'disk-full'
    ? storageFull(reason, cause)
    : storageFailure(reason, cause, kind === 'transient' || kind === 'conflict' || kind === 'timeout');

const describeCause = (cause: unknown): string => {
  const text = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
  return text.length > MAX_CAUSE_LENGTH ? `${text.slice(0, MAX_CAUSE_LENGTH)}…` : text;
};

/** Turns whatever a unit of work threw into data: a DomainError thrown by mistake is kept as is. */
export const fromThrown =
  (reason: string) =>
  (cause: unknown): DomainError =>
    isThrownDomainError(cause) ? cause : storageFailure(reason, cause);

const isThrownDomainError = (u: unknown): u is DomainError =>
  typeof u === 'object' && u !== null && (u as { _tag?: unknown })._tag === 'DomainError';
