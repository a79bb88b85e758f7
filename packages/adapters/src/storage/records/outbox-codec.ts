import type { EmailAddress, OutboxMessage, OutboxRecord, StorageError } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as t from 'io-ts';
import { Count, EpochMillis, Int64, IsoDate, JsonColumn, oneOf, plainRecord } from './column-codecs.js';
import { decodeRow } from './decode-row.js';
import { storable, storableField, toJson } from './record-check.js';

const Email = t.string as unknown as t.Type<EmailAddress, string, unknown>;

const EmailMessage = t.type({
  kind: t.literal('email'),
  id: t.string,
  email: t.intersection([
    t.type({
      id: t.string,
      tenantId: t.string,
      procedureId: t.string,
      kind: oneOf('EmailKind', [
        'invitation',
        'reminder',
        'signed-notification',
        'declined-notification',
        'expired-notification',
      ] as const),
      language: oneOf('Language', ['fr', 'en'] as const),
      to: Email,
      subject: t.string,
      text: t.string,
    }),
    t.partial({ toName: t.string, replyTo: Email, signerPosition: Count, template: plainRecord(t.string) }),
  ]),
});

const FollowUpMessage = t.type({
  kind: t.literal('follow-up'),
  id: t.string,
  action: t.type({
    id: t.string,
    tenantId: t.string,
    quoteId: t.string,
    procedureId: t.string,
    assigneeId: t.string,
    title: t.string,
    dueAt: IsoDate,
  }),
});

// Type and status are checked against the domain's unions where they are produced; here they are text.
const NotificationMessage = t.type({
  kind: t.literal('notification'),
  id: t.string,
  notification: t.intersection([
    t.type({
      id: t.string,
      tenantId: t.string,
      procedureId: t.string,
      quoteId: t.string,
      type: t.string,
      status: t.string,
      at: IsoDate,
    }),
    t.partial({ reason: t.string }),
  ]),
});

/**
 * Reads a stored message (optional fields stay absent: JSON never holds `undefined`), and tells whether a message
 * would read back once written (`is`): one definition for both ways, in every store.
 */
export const OutboxMessageCodec = t.union([
  EmailMessage,
  FollowUpMessage,
  NotificationMessage,
]) as unknown as t.Type<OutboxMessage, unknown, unknown>;

const OutboxRow = t.type({
  message: JsonColumn.pipe(OutboxMessageCodec),
  status: oneOf('OutboxStatus', ['pending', 'delivered', 'failed'] as const),
  attempts: Int64,
  next_attempt_at: EpochMillis,
  created_at: EpochMillis,
  last_error: t.union([t.string, t.null]),
});

/** A row of the outbox table as the port's record; a row that does not decode is `STORAGE_FAILURE`. */
export const outboxRecordFromRow = (row: unknown): E.Either<StorageError, OutboxRecord> =>
  pipe(
    decodeRow(OutboxRow, 'outbox record')(row),
    E.map(
      (decoded): OutboxRecord => ({
        message: decoded.message,
        status: decoded.status,
        attempts: decoded.attempts,
        nextAttemptAt: decoded.next_attempt_at,
        createdAt: decoded.created_at,
        ...(decoded.last_error === null ? {} : { lastError: decoded.last_error }),
      }),
    ),
  );

const storableMessage = storable('outbox message', OutboxMessageCodec);
const storableCreatedAt = storableField('outbox message', 'createdAt', EpochMillis);
const storableDeliveredAt = storableField('outbox message', 'deliveredAt', EpochMillis);
const storableNextAttemptAt = storableField('outbox message', 'nextAttemptAt', EpochMillis);
const storableError = storableField('outbox message', 'lastError', t.string);
const messageJson = toJson('outbox message');

/**
 * The messages of an enqueue at `now`, once each reads back with the codec the SQL stores read it with and `now`
 * fits the time columns; otherwise `STORAGE_FAILURE` and nothing is enqueued.
 */
export const storableEnqueue = (
  messages: ReadonlyArray<OutboxMessage>,
  now: Date,
): E.Either<StorageError, ReadonlyArray<OutboxMessage>> => {
  const time = storableCreatedAt(now);
  if (E.isLeft(time)) return time;
  for (const message of messages) {
    const storable = storableMessage(message);
    if (E.isLeft(storable)) return storable;
  }
  return E.right(messages);
};

/** The JSON the SQL stores write for each message of an enqueue, once it is storable. */
export const enqueuedMessages = (
  messages: ReadonlyArray<OutboxMessage>,
  now: Date,
): E.Either<StorageError, ReadonlyArray<string>> => {
  const storable = storableEnqueue(messages, now);
  return E.isLeft(storable) ? storable : E.traverseArray(messageJson)(messages);
};

/** What a delivery writes: its time. */
export const storableDelivery = (now: Date): E.Either<StorageError, unknown> => storableDeliveredAt(now);

/** What a failed attempt writes: its error text and, unless given up, the time of the next attempt. */
export const storableAttemptFailure = (
  error: string,
  nextAttemptAt: Date | undefined,
): E.Either<StorageError, unknown> => {
  const text = storableError(error);
  return E.isLeft(text) || nextAttemptAt === undefined ? text : storableNextAttemptAt(nextAttemptAt);
};
