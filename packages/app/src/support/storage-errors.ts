import { type DomainError, domainError, type StorageError } from '@paraphe/domain';

const withCause = (error: StorageError) => (error.cause === undefined ? {} : { cause: error.cause });

/**
 * A storage failure as the facade says it, with the codes and details it always had: `STORAGE_FAILURE` (its reason,
 * whether it may pass, the driver's cause), `STORAGE_FULL`, `STORAGE_OUTCOME_UNKNOWN`, `CONCURRENT_MODIFICATION`,
 * `PROCEDURE_NOT_FOUND`, and the ledger's own refusals. `isRetryable` of the result agrees with `error.retryable`.
 */
export const storageErrorToDomain = (error: StorageError): DomainError => {
  switch (error._tag) {
    case 'StorageUnavailable':
    case 'StorageTimeout':
    case 'StorageConflict':
    case 'StorageUnreadable':
    case 'StorageBroken':
      return domainError('STORAGE_FAILURE', {
        reason: error.reason,
        retryable: error.retryable,
        ...withCause(error),
      });
    case 'StorageFull':
      return domainError('STORAGE_FULL', { reason: error.reason, retryable: true, ...withCause(error) });
    case 'StorageOutcomeUnknown':
      return domainError('STORAGE_OUTCOME_UNKNOWN', {
        reason: error.reason,
        retryable: false,
        ...withCause(error),
      });
    case 'StorageConcurrentChange':
      return domainError(
        'CONCURRENT_MODIFICATION',
        error.expectedVersion === undefined || error.storedVersion === undefined
          ? { reason: error.reason }
          : { expectedVersion: error.expectedVersion, storedVersion: error.storedVersion },
      );
    case 'StorageRecordMissing':
      return domainError('PROCEDURE_NOT_FOUND');
    case 'StorageCreditRefused':
      return error.reason === 'NO_CREDIT_AVAILABLE'
        ? domainError('NO_CREDIT_AVAILABLE')
        : domainError('CREDIT_NOT_HELD', { hold: 'none' });
  }
};
