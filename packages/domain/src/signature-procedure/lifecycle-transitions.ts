import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { AuditData, AuditEventType } from '../audit-trail/audit-event.js';
import { type DomainError, domainError } from '../errors.js';
import type { UserId } from '../shared/types.js';
import type { SignatureProcedure, Transition } from './signature-procedure.js';
import { endUnsigned, requireBeforeDeadline, requireStatus, step } from './step.js';

/** The mail adapter accepted the invitation: `pending` becomes `sent`. */
export const markSent =
  (now: Date) =>
  (procedure: SignatureProcedure): E.Either<DomainError, Transition> =>
    pipe(
      requireStatus(procedure, ['pending']),
      E.map((p) =>
        step(p, { status: 'sent' }, [{ type: 'invitation_sent', at: now, actor: 'system', data: {} }]),
      ),
    );

/** The invitation could not be delivered for good: the procedure fails and its credit comes back. */
export const markFailed =
  (reason: string, now: Date) =>
  (procedure: SignatureProcedure): E.Either<DomainError, Transition> =>
    pipe(
      requireStatus(procedure, ['pending']),
      E.chain((p) =>
        endUnsigned(p, 'failed', { type: 'invitation_failed', at: now, actor: 'system', data: { reason } }),
      ),
    );

/** The sender may cancel any procedure still in progress and before its deadline; the credit comes back. */
export const cancel =
  (by: UserId, now: Date) =>
  (procedure: SignatureProcedure): E.Either<DomainError, Transition> =>
    pipe(
      requireStatus(procedure, ['pending', 'sent', 'opened', 'verified']),
      E.chain((p) => requireBeforeDeadline(p, now)),
      E.chain((p) =>
        endUnsigned(p, 'cancelled', { type: 'cancelled', at: now, actor: 'sender', data: { by } }),
      ),
    );

/** Once the deadline has passed, a sent procedure expires and its credit comes back. */
export const expire =
  (now: Date) =>
  (procedure: SignatureProcedure): E.Either<DomainError, Transition> =>
    pipe(
      requireStatus(procedure, ['sent', 'opened', 'verified']),
      E.chain((p) =>
        now.getTime() >= p.deadline.getTime() ? E.right(p) : E.left(domainError('NOT_YET_DUE')),
      ),
      E.chain((p) =>
        endUnsigned(p, 'expired', {
          type: 'expired',
          at: now,
          actor: 'system',
          data: { deadline: p.deadline.toISOString() },
        }),
      ),
    );

/** A reminder was sent to a signer who has not signed yet. */
export const recordReminder =
  (now: Date) =>
  (procedure: SignatureProcedure): E.Either<DomainError, Transition> =>
    pipe(
      requireStatus(procedure, ['sent', 'opened', 'verified']),
      E.chain((p) => requireBeforeDeadline(p, now)),
      E.map((p) =>
        step(p, { remindersSent: p.remindersSent + 1 }, [
          { type: 'reminder_sent', at: now, actor: 'system', data: { number: p.remindersSent + 1 } },
        ]),
      ),
    );

/** Events that record what happened around a procedure without changing it; allowed after it ended. */
export type AnnotationType = Extract<
  AuditEventType,
  'follow_up_created' | 'crm_notified' | 'code_send_failed' | 'delivery_retry_scheduled'
>;

/** Appends a side note to the timeline: status, credit and dates stay exactly as they are. */
export const annotate =
  (type: AnnotationType, data: AuditData, now: Date) =>
  (procedure: SignatureProcedure): Transition =>
    step(procedure, {}, [{ type, at: now, actor: 'system', data }]);
