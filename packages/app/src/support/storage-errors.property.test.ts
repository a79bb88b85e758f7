import { makeInMemoryStorage } from '@paraphe/adapters';
import {
  domainError,
  errorCodes,
  isRetryable,
  type StorageError,
  storageBroken,
  storageConcurrentChange,
  storageConflict,
  storageCreditRefused,
  storageFull,
  storageOutcomeUnknown,
  storageRecordMissing,
  storageTimeout,
  storageUnavailable,
  storageUnreadable,
} from '@paraphe/domain';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { describe, expect, it } from 'vitest';
import { storageErrorToDomain } from './storage-errors.js';
import { withDomainErrors } from './use-case-storage.js';

const reason = fc.string({ maxLength: 60 });
const cause = fc.option(fc.string({ maxLength: 60 }), { nil: undefined });
const version = fc.nat({ max: 1000 });

const storageErrors: fc.Arbitrary<StorageError> = fc.oneof(
  ...[storageUnavailable, storageTimeout, storageConflict, storageFull, storageUnreadable, storageBroken].map(
    (make) => fc.tuple(reason, cause).map(([r, c]) => make(r, c)),
  ),
  cause.map(storageOutcomeUnknown),
  reason.map(storageRecordMissing),
  fc
    .tuple(reason, fc.option(fc.tuple(version, version), { nil: undefined }))
    .map(([r, v]) =>
      storageConcurrentChange(
        r,
        v === undefined ? undefined : { expectedVersion: v[0], storedVersion: v[1] },
      ),
    ),
  fc.constantFrom('NO_CREDIT_AVAILABLE', 'CREDIT_NOT_HELD' as const).map(storageCreditRefused),
);

/** The public code each kind of storage failure has always been reported with. */
const codeOf: Readonly<Record<StorageError['_tag'], string>> = {
  StorageUnavailable: 'STORAGE_FAILURE',
  StorageTimeout: 'STORAGE_FAILURE',
  StorageConflict: 'STORAGE_FAILURE',
  StorageUnreadable: 'STORAGE_FAILURE',
  StorageBroken: 'STORAGE_FAILURE',
  StorageFull: 'STORAGE_FULL',
  StorageOutcomeUnknown: 'STORAGE_OUTCOME_UNKNOWN',
  StorageConcurrentChange: 'CONCURRENT_MODIFICATION',
  StorageRecordMissing: 'PROCEDURE_NOT_FOUND',
  StorageCreditRefused: '',
};

describe('storage errors mapped to the facade’s DomainError', () => {
  it('is total: every StorageError is a catalogue code with both messages, and isRetryable agrees with retryable', () => {
    fc.assert(
      fc.property(storageErrors, (error) => {
        const mapped = storageErrorToDomain(error);
        expect(errorCodes).toContain(mapped.code);
        expect(mapped.message.fr.length * mapped.message.en.length).toBeGreaterThan(0);
        expect(isRetryable(mapped)).toBe(error.retryable);
        expect(mapped.code).toBe(error._tag === 'StorageCreditRefused' ? error.reason : codeOf[error._tag]);
        if (mapped.code.startsWith('STORAGE_'))
          expect(mapped.details).toStrictEqual({
            reason: error.reason,
            retryable: error.retryable,
            ...(error.cause === undefined ? {} : { cause: error.cause }),
          });
      }),
    );
  });

  it('keeps the details the facade always gave for a version conflict and a credit not held', () => {
    expect(
      storageErrorToDomain(storageConcurrentChange('x', { expectedVersion: 3, storedVersion: 4 })),
    ).toStrictEqual(domainError('CONCURRENT_MODIFICATION', { expectedVersion: 3, storedVersion: 4 }));
    expect(storageErrorToDomain(storageConcurrentChange('idempotency key already used'))).toStrictEqual(
      domainError('CONCURRENT_MODIFICATION', { reason: 'idempotency key already used' }),
    );
    expect(storageErrorToDomain(storageCreditRefused('CREDIT_NOT_HELD'))).toStrictEqual(
      domainError('CREDIT_NOT_HELD', { hold: 'none' }),
    );
  });

  it('the use cases’ storage maps a store’s failure and passes the work’s own DomainError on as it is', async () => {
    const storage = withDomainErrors(makeInMemoryStorage());
    const missing = await storage.unitOfWork((s) => s.outbox.markDelivered('nope', new Date(0)))();
    expect(E.isLeft(missing) && missing.left).toMatchObject({
      _tag: 'DomainError',
      code: 'STORAGE_FAILURE',
      details: { reason: 'unknown outbox message', retryable: false },
    });
    const refused = await storage.unitOfWork((s) =>
      pipe(
        s.tenants.getSettings('acme'),
        TE.chain(() => TE.left(domainError('FORBIDDEN'))),
      ),
    )();
    expect(refused).toStrictEqual(E.left(domainError('FORBIDDEN')));
    const threw = await storage.unitOfWork(() => {
      throw new Error('bug');
    })();
    expect(E.isLeft(threw) && threw.left).toMatchObject({
      code: 'STORAGE_FAILURE',
      details: { reason: 'unit of work threw', retryable: false },
    });
  });
});
