import { describeDecodeErrors, type StorageError, type UnreadableRecord } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import { unreadable } from '../storage-failure.js';

/** Decodes a row (or a column) read from the database; a mismatch is `StorageUnreadable`, never an exception. */
export const decodeRow =
  <A>(codec: t.Decoder<unknown, A>, what: string) =>
  (row: unknown): E.Either<StorageError, A> =>
    E.mapLeft((errors: t.Errors) =>
      unreadable(`stored ${what} is not readable`, describeDecodeErrors(errors)),
    )(codec.decode(row));

/** A row that did not decode, as a sweep reports it: its table, its id and the failure, never its values. */
export const unreadableRecord = (
  kind: UnreadableRecord['kind'],
  id: string,
  error: StorageError,
): UnreadableRecord => ({
  kind,
  id,
  reason: [error.reason, error.cause].filter((part) => part !== undefined).join(': '),
});
