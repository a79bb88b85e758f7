import type { DomainError, EmailAddress, OutboxMessage, OutboxRecord } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as t from 'io-ts';
import { EpochMillis, Int64, IsoDate, JsonColumn, oneOf } from './column-codecs.js';
import { decodeRow } from './decode-row.js';

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
    t.partial({ toName: t.string, replyTo: Email, template: t.record(t.string, t.string) }),
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
  notification: t.type({
    id: t.string,
    tenantId: t.string,
    procedureId: t.string,
    quoteId: t.string,
    type: t.string,
    status: t.string,
    at: IsoDate,
  }),
});

/** Decodes a stored message; optional fields stay absent (JSON never holds `undefined`). */
const OutboxMessageCodec = t.union([
  EmailMessage,
  FollowUpMessage,
  NotificationMessage,
]) as unknown as t.Decoder<unknown, OutboxMessage>;

const OutboxRow = t.type({
  message: JsonColumn.pipe(OutboxMessageCodec as t.Type<OutboxMessage, unknown, unknown>),
  status: oneOf('OutboxStatus', ['pending', 'delivered', 'failed'] as const),
  attempts: Int64,
  next_attempt_at: EpochMillis,
  created_at: EpochMillis,
  last_error: t.union([t.string, t.null]),
});

/** A row of the outbox table as the port's record; a row that does not decode is `STORAGE_FAILURE`. */
export const outboxRecordFromRow = (row: unknown): E.Either<DomainError, OutboxRecord> =>
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
