import type * as O from 'fp-ts/lib/Option.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import type { LifecycleNotification } from './lifecycle-notifier.js';
import type { OutgoingEmail } from './mailer.js';
import type { FollowUpAction } from './quote-source.js';
import type { RecordBatch } from './record-batch.js';
import type { StorageError } from './storage-error.js';

/**
 * Work to do outside the database once the change that caused it has committed.
 * SMS codes never go here: a stored SMS would keep the code readable, so codes are sent right after commit instead.
 */
export type OutboxMessage =
  | { readonly kind: 'email'; readonly id: string; readonly email: OutgoingEmail }
  | { readonly kind: 'follow-up'; readonly id: string; readonly action: FollowUpAction }
  | { readonly kind: 'notification'; readonly id: string; readonly notification: LifecycleNotification };

export interface OutboxRecord {
  readonly message: OutboxMessage;
  readonly status: 'pending' | 'delivered' | 'failed';
  readonly attempts: number;
  readonly nextAttemptAt: Date;
  readonly createdAt: Date;
  readonly lastError?: string;
}

export interface OutboxStore {
  /**
   * Adds messages in the current unit of work; a message id already present is ignored (idempotent). A message it
   * could not read back is `StorageUnreadable` and none of the messages is added.
   */
  readonly enqueue: (messages: ReadonlyArray<OutboxMessage>, now: Date) => TE.TaskEither<StorageError, void>;
  /**
   * Adds one message already claimed, as `claimByIds` would claim it right after `enqueue` at `now` (pending, no
   * attempt yet, its next attempt at the end of a lease from `now`), and returns that record: a request that
   * delivers what it queued saves a statement. None when its id is already present: that message is left as it
   * is, not claimed. Refused like `enqueue`.
   */
  readonly enqueueClaimed: (
    message: OutboxMessage,
    now: Date,
  ) => TE.TaskEither<StorageError, O.Option<OutboxRecord>>;
  /**
   * Claims up to `limit` pending messages due by `now`, oldest first; concurrent claimers never get the same one. A
   * row that does not decode is claimed too and returned apart, in `unreadable`: it counts towards `limit` and keeps
   * its lease.
   */
  readonly claimDue: (now: Date, limit: number) => TE.TaskEither<StorageError, RecordBatch<OutboxRecord>>;
  /**
   * Claims, like `claimDue`, those of the given messages that are pending and due by `now` (what one request
   * produced); the others (delivered, claimed by someone else, unknown) are left alone and not returned.
   */
  readonly claimByIds: (
    ids: ReadonlyArray<string>,
    now: Date,
  ) => TE.TaskEither<StorageError, RecordBatch<OutboxRecord>>;
  readonly markDelivered: (id: string, now: Date) => TE.TaskEither<StorageError, void>;
  /** Records a failed attempt; `nextAttemptAt` undefined means give up (`failed`). */
  readonly markAttemptFailed: (
    id: string,
    error: string,
    nextAttemptAt: Date | undefined,
  ) => TE.TaskEither<StorageError, void>;
  /** When the longest-waiting pending message became due, if one is due by `now` (how far delivery lags). */
  readonly oldestDue: (now: Date) => TE.TaskEither<StorageError, O.Option<Date>>;
  /** Every record, oldest first (development views and tests). */
  readonly list: () => TE.TaskEither<StorageError, ReadonlyArray<OutboxRecord>>;
}
