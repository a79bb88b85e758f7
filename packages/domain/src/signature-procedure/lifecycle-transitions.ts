import * as E from 'fp-ts/lib/Either.js';
import type { AuditData, AuditEventType } from '../audit-trail/audit-event.js';
import { type DomainError, domainError } from '../errors.js';
import { isoTimestamp } from '../shared/iso-timestamp.js';
import type { UserId } from '../shared/types.js';
import { AWAITING_SIGNER_STATUSES, isTerminal, type ProcedureStatus } from './procedure-status.js';
import type { SignatureProcedure, SignerStatus, Transition } from './signature-procedure.js';
import { progressStatus, signerAt } from './signers.js';
import { deadlineRefusal, endUnsigned, event, signerData, statusRefusal, step, withSigner } from './step.js';

const IN_PROGRESS: ReadonlyArray<ProcedureStatus> = ['pending', ...AWAITING_SIGNER_STATUSES];

/** A procedure in progress whose signer at `position` stands in one of `allowed`; the reason otherwise. */
const signerStatusRefusal = (
  procedure: SignatureProcedure,
  position: number,
  allowed: ReadonlyArray<SignerStatus>,
): DomainError | undefined => {
  if (isTerminal(procedure.status)) return statusRefusal(procedure, []);
  const status = signerAt(procedure, position).status;
  return allowed.includes(status) ? undefined : domainError('TRANSITION_NOT_ALLOWED', { status });
};

/** The mail adapter accepted a signer's invitation: that signer goes from `pending` to `sent`. */
export const markSent =
  (now: Date, position = 0) =>
  (procedure: SignatureProcedure): E.Either<DomainError, Transition> => {
    const refused = signerStatusRefusal(procedure, position, ['pending']);
    if (refused !== undefined) return E.left(refused);
    const signers = withSigner(procedure, position, { ...signerAt(procedure, position), status: 'sent' });
    return E.right(
      step(
        procedure,
        { signers, status: progressStatus(signers) },
        event('invitation_sent', now, 'system', signerData(procedure, position, {})),
      ),
    );
  };

/** A signer's invitation could not be delivered for good: the procedure fails for everyone and its credit comes back. */
export const markFailed =
  (reason: string, now: Date, position = 0) =>
  (procedure: SignatureProcedure): E.Either<DomainError, Transition> => {
    const refused = signerStatusRefusal(procedure, position, ['pending']);
    if (refused !== undefined) return E.left(refused);
    return endUnsigned(
      procedure,
      'failed',
      event(
        'invitation_failed',
        now,
        'system',
        signerData(procedure, position, { credit: 'released', reason }),
      ),
    );
  };

/**
 * The sender may cancel any procedure still in progress and before its deadline, saying why if they wish (the reason
 * goes on the timeline); the credit comes back and every signer's link dies with it.
 */
export const cancel =
  (by: UserId, now: Date, reason?: string) =>
  (procedure: SignatureProcedure): E.Either<DomainError, Transition> => {
    const refused = statusRefusal(procedure, IN_PROGRESS) ?? deadlineRefusal(procedure, now);
    if (refused !== undefined) return E.left(refused);
    const data =
      reason === undefined
        ? { by, credit: 'released' as const }
        : { by, credit: 'released' as const, reason };
    return endUnsigned(procedure, 'cancelled', event('cancelled', now, 'sender', data));
  };

/**
 * Once the deadline has passed, a procedure in progress expires and its credit comes back: one awaiting a signer,
 * or one whose invitation never left (`pending`), which must then never reach the signer.
 */
export const expire =
  (now: Date) =>
  (procedure: SignatureProcedure): E.Either<DomainError, Transition> => {
    const refused = statusRefusal(procedure, IN_PROGRESS);
    if (refused !== undefined) return E.left(refused);
    if (now.getTime() < procedure.deadline.getTime()) return E.left(domainError('NOT_YET_DUE'));
    const deadline = isoTimestamp(procedure.deadline);
    return endUnsigned(
      procedure,
      'expired',
      event('expired', now, 'system', { credit: 'released', deadline }),
    );
  };

/** A reminder was sent to a signer who was invited and has not signed yet. */
export const recordReminder =
  (now: Date, position = 0) =>
  (procedure: SignatureProcedure): E.Either<DomainError, Transition> => {
    const refused =
      signerStatusRefusal(procedure, position, AWAITING_SIGNER_STATUSES) ?? deadlineRefusal(procedure, now);
    if (refused !== undefined) return E.left(refused);
    const signer = signerAt(procedure, position);
    const number = signer.remindersSent + 1;
    return E.right(
      step(
        procedure,
        { signers: withSigner(procedure, position, { ...signer, remindersSent: number }) },
        event('reminder_sent', now, 'system', signerData(procedure, position, { number })),
      ),
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
