import { type DomainError, describeDecodeErrors, type UnreadableRecord } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import { storageFailure } from '../storage-failure.js';

/** Decodes a row (or a column) read from the database; a mismatch is `STORAGE_FAILURE`, never an exception. */
export const decodeRow =
  <A>(codec: t.Decoder<unknown, A>, what: string) =>
  (row: unknown): E.Either<DomainError, A> =>
    E.mapLeft((errors: t.Errors) =>
      storageFailure(`stored ${what} is not readable`, `invalid fields: ${describeDecodeErrors(errors)}`),
    )(codec.decode(row));

/** A row that did not decode, as a sweep reports it: its table, its id and the failure, never its values. */
export const unreadableRecord = (
  kind: UnreadableRecord['kind'],
  id: string,
  error: DomainError,
): UnreadableRecord => ({
  kind,
  id,
  reason: [error.details?.reason, error.details?.cause].filter((part) => part !== undefined).join(': '),
});
