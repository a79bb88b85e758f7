import * as E from 'fp-ts/lib/Either.js';
import type { AuditData, AuditEventType } from '../audit-trail/audit-event.js';
import { type DomainError, domainError } from '../errors.js';
import { isoTimestamp } from '../shared/iso-timestamp.js';
import type { UserId } from '../shared/types.js';
import type { SignatureProcedure, Transition } from './signature-procedure.js';
import { deadlineRefusal, endUnsigned, event, statusRefusal, step } from './step.js';

/** The mail adapter accepted the invitation: `pending` becomes `sent`. */
export const markSent =
  (now: Date) =>
  (procedure: SignatureProcedure): E.Either<DomainError, Transition> => {
    const refused = statusRefusal(procedure, ['pending']);
    if (refused !== undefined) return E.left(refused);
    return E.right(step(procedure, { status: 'sent' }, event('invitation_sent', now, 'system', {})));
  };

/** The invitation could not be delivered for good: the procedure fails and its credit comes back. */
export const markFailed =
  (reason: string, now: Date) =>
  (procedure: SignatureProcedure): E.Either<DomainError, Transition> => {
    const refused = statusRefusal(procedure, ['pending']);
    if (refused !== undefined) return E.left(refused);
    return endUnsigned(
      procedure,
      'failed',
      event('invitation_failed', now, 'system', { credit: 'released', reason }),
    );
  };

/**
 * The sender may cancel any procedure still in progress and before its deadline, saying why if they wish (the reason
 * goes on the timeline); the credit comes back.
 */
export const cancel =
  (by: UserId, now: Date, reason?: string) =>
  (procedure: SignatureProcedure): E.Either<DomainError, Transition> => {
    const refused =
      statusRefusal(procedure, ['pending', 'sent', 'opened', 'verified']) ?? deadlineRefusal(procedure, now);
    if (refused !== undefined) return E.left(refused);
    const data =
      reason === undefined
        ? { by, credit: 'released' as const }
        : { by, credit: 'released' as const, reason };
    return endUnsigned(procedure, 'cancelled', event('cancelled', now, 'sender', data));
  };

/**
 * Once the deadline has passed, a procedure in progress expires and its credit comes back: one awaiting its signer,
 * or one whose invitation never left (`pending`), which must then never reach the signer.
 */
export const expire =
  (now: Date) =>
  (procedure: SignatureProcedure): E.Either<DomainError, Transition> => {
    const refused = statusRefusal(procedure, ['pending', 'sent', 'opened', 'verified']);
    if (refused !== undefined) return E.left(refused);
    if (now.getTime() < procedure.deadline.getTime()) return E.left(domainError('NOT_YET_DUE'));
    const deadline = isoTimestamp(procedure.deadline);
    return endUnsigned(
      procedure,
      'expired',
      event('expired', now, 'system', { credit: 'released', deadline }),
    );
  };

/** A reminder was sent to a signer who has not signed yet. */
export const recordReminder =
  (now: Date) =>
  (procedure: SignatureProcedure): E.Either<DomainError, Transition> => {
    const refused =
      statusRefusal(procedure, ['sent', 'opened', 'verified']) ?? deadlineRefusal(procedure, now);
    if (refused !== undefined) return E.left(refused);
    const number = procedure.remindersSent + 1;
    return E.right(
      step(procedure, { remindersSent: number }, event('reminder_sent', now, 'system', { number })),
    );
  };

/** Events that record what happened around a procedure without changing it; allowed after it ended. */
export type AnnotationType = Extract<
  AuditEventType,
  'follow_up_created' | 'crm_notified' | 'code_send_failed' | 'delivery_retry_scheduled'
>;

/** Appends a side note to the timeline: status, credit and dates stay exactly as they are. */
export const annotate =
  (type: AnnotationType, data: AuditData, now: Date) =>
  (procedure: SignatureProcedure): Transition =>
    step(procedure, {}, event(type, now, 'system', data));
