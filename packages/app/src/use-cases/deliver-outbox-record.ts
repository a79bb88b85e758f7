import {
  annotate,
  type CrmError,
  type DeliveryError,
  type DomainError,
  domainError,
  expire,
  isInProgress,
  type LogFields,
  markFailed,
  markSent,
  type OutboxMessage,
  type OutboxRecord,
  type OutgoingEmail,
  type SignatureProcedure,
  signerData,
  type Transition,
} from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as O from 'fp-ts/lib/Option.js';
import type * as T from 'fp-ts/lib/Task.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { mayRunAgain, withBookkeepingRetries } from '../support/bookkeeping-retry.js';
import { asCrmError, checkedCrmCall } from '../support/crm-errors.js';
import { checkedNotifierCall } from '../support/delivery-errors.js';
import { resolveLink } from '../support/invitation-email.js';
import { senderNotification } from '../support/lifecycle-messages.js';
import { persistTransition } from '../support/persist-transition.js';
import { unsealToken } from '../support/secrets.js';
import { loadSender } from '../support/sender.js';
import type { UseCaseSession } from '../support/use-case-storage.js';
import type { UseCaseDependencies } from './dependencies.js';

/** What a log line says of a message: its id, kind and whose it is; never its text (it may hold a link). */
const fieldsOf = (message: OutboxMessage): LogFields => {
  switch (message.kind) {
    case 'email':
      return {
        messageId: message.id,
        kind: message.email.kind,
        tenantId: message.email.tenantId,
        procedureId: message.email.procedureId,
      };
    case 'follow-up':
      return {
        messageId: message.id,
        kind: 'follow-up',
        tenantId: message.action.tenantId,
        procedureId: message.action.procedureId,
      };
    case 'notification':
      return {
        messageId: message.id,
        kind: 'notification',
        tenantId: message.notification.tenantId,
        procedureId: message.notification.procedureId,
      };
  }
};

/** The reason an invitation is given up when its procedure's deadline passed before it could leave. */
const DEADLINE_PASSED = 'PROCEDURE_EXPIRED';

/**
 * Why an attempt failed, read from the port's own error (`DeliveryError` of the mailer and the notifier, `CrmError`
 * of the quote source): `retryable` false is a refusal for good, given up after this one attempt.
 */
interface Failure {
  readonly retryable: boolean;
  readonly reason: string;
}

const failureOf = (error: DeliveryError | CrmError): Failure => ({
  retryable: error.retryable,
  reason: error.reason,
});

const retryDelayMs = (attempt: number, base: number, cap: number): number =>
  Math.min(cap, base * 2 ** (attempt - 1));

/**
 * Delivers one claimed outbox message, at least once, and records the outcome: Right(true) when it left. A signer's
 * invitation accepted by the mailer moves that signer to `sent`; one refused for good (or after the last retry) fails
 * the procedure for every signer and gives its credit back; one whose procedure's deadline passed before it could leave is never sent,
 * and the procedure expires.
 */
export const makeDeliverRecord = (
  deps: UseCaseDependencies,
  /**
   * A procedure as the request delivering its own messages last saw it in a unit of work that committed: its
   * invitation then needs no read (a change made since by another request is as likely between a read and the mail),
   * and its `sent` is tried on it without one.
   */
  seenByThisCall: (procedureId: string) => SignatureProcedure | undefined = () => undefined,
) => {
  const { storage, clock, delivery } = deps;

  const storedProcedure = (procedureId: string) =>
    storage.unitOfWork((session) => session.procedures.get(procedureId));
  const currentProcedure = (procedureId: string): ReturnType<typeof storedProcedure> => {
    const written = seenByThisCall(procedureId);
    return written !== undefined ? TE.right(O.some(written)) : storedProcedure(procedureId);
  };

  /**
   * Emails that carry the signing link get it now, unsealed from their procedure; the outbox never holds it. An
   * invitation whose procedure ended before it left (cancelled while pending) is given up: it must not reach the signer.
   */
  const withSigningLink = (email: OutgoingEmail): TE.TaskEither<Failure, OutgoingEmail> =>
    email.kind !== 'invitation' && email.kind !== 'reminder'
      ? TE.right(email)
      : pipe(
          currentProcedure(email.procedureId),
          TE.chain(TE.fromOption(() => domainError('PROCEDURE_NOT_FOUND'))),
          // The link of the signer the email is for: the first one's unless it names another.
          TE.chainEitherK((p) => {
            const signer = p.signers[email.signerPosition ?? 0];
            return signer === undefined ? E.left(domainError('PROCEDURE_NOT_FOUND')) : E.right({ p, signer });
          }),
          // An invitation leaves only while its signer's is still to send (`pending`) and the procedure runs.
          TE.filterOrElse(
            ({ p, signer }) =>
              email.kind !== 'invitation' || (isInProgress(p) && signer.status === 'pending'),
            () => domainError('PROCEDURE_ENDED'),
          ),
          // Past its deadline the link would be dead on arrival: the invitation is given up, the procedure expires.
          TE.filterOrElse(
            ({ p }) => email.kind !== 'invitation' || clock.now().getTime() < p.deadline.getTime(),
            () => domainError(DEADLINE_PASSED),
          ),
          TE.chainEitherK(({ p, signer }) => unsealToken(deps.secrets.linkKey, signer.sealedToken, p.id)),
          TE.map((token) => resolveLink(email, deps.signingUrl(token))),
          // A procedure that ended, or a link that cannot be unsealed, will never go out; a storage failure (a
          // restart, a lost COMMIT answer while reading) is retried like any delivery failure, never given up.
          TE.mapLeft((e): Failure => ({ retryable: mayRunAgain(e), reason: e.code })),
        );

  const deliver = (record: OutboxRecord): TE.TaskEither<Failure, void> => {
    const message = record.message;
    switch (message.kind) {
      case 'email':
        return pipe(
          withSigningLink(message.email),
          TE.chain((email) => TE.mapLeft(failureOf)(deps.mailer.send(email))),
          TE.map(() => undefined),
        );
      case 'follow-up':
        return pipe(
          checkedCrmCall(() => deps.quotes.createFollowUpAction(message.action)),
          TE.bimap(
            (e) => failureOf(asCrmError(e)),
            () => undefined,
          ),
        );
      case 'notification':
        return pipe(
          checkedNotifierCall(() => deps.notifier.notify(message.notification)),
          TE.bimap(failureOf, () => undefined),
        );
    }
  };

  /** An invitation's procedure and the position of the signer it invites. */
  const invitationOf = (
    record: OutboxRecord,
  ): O.Option<{ readonly procedureId: string; readonly position: number }> =>
    record.message.kind === 'email' && record.message.email.kind === 'invitation'
      ? O.some({
          procedureId: record.message.email.procedureId,
          position: record.message.email.signerPosition ?? 0,
        })
      : O.none;

  /**
   * Applies a transition to a procedure in this unit of work, with the messages `more` adds; a procedure that moved
   * on meanwhile is left alone. With `known` (the procedure as this request committed it) the transition is tried on
   * it without a read: if another request changed the procedure since, the version check refuses the update before
   * anything is written, and the stored procedure is read.
   */
  const onProcedure = (
    session: UseCaseSession,
    procedureId: string,
    change: (p: SignatureProcedure) => E.Either<DomainError, Transition>,
    more: (before: SignatureProcedure, transition: Transition) => T.Task<ReadonlyArray<OutboxMessage>> = () =>
      async () => [],
    known?: SignatureProcedure,
  ): TE.TaskEither<DomainError, void> => {
    const apply = (before: SignatureProcedure): TE.TaskEither<DomainError, void> =>
      pipe(
        change(before),
        E.match(
          () => TE.right(undefined),
          (transition) =>
            pipe(
              TE.fromTask(more(before, transition)),
              TE.chain((messages) => persistTransition(session, before, transition, clock.now(), messages)),
              TE.map(() => undefined),
            ),
        ),
      );
    const read = pipe(
      session.procedures.get(procedureId),
      TE.chain(O.match(() => TE.right(undefined), apply)),
    );
    return known === undefined
      ? read
      : pipe(
          apply(known),
          TE.orElse((error) => (error.code === 'CONCURRENT_MODIFICATION' ? read : TE.left(error))),
        );
  };

  const succeeded = (record: OutboxRecord) =>
    storage.unitOfWork((session) =>
      pipe(
        session.outbox.markDelivered(record.message.id, clock.now()),
        TE.chain(() =>
          pipe(
            invitationOf(record),
            O.match(
              () =>
                record.message.kind === 'follow-up'
                  ? onProcedure(session, record.message.action.procedureId, (p) =>
                      E.right(annotate('follow_up_created', { actionId: record.message.id }, clock.now())(p)),
                    )
                  : TE.right(undefined),
              ({ procedureId, position }) =>
                onProcedure(
                  session,
                  procedureId,
                  markSent(clock.now(), position),
                  undefined,
                  seenByThisCall(procedureId),
                ),
            ),
          ),
        ),
      ),
    );

  /**
   * The message has left: its bookkeeping (delivered, the procedure `sent`) is retried, since giving up would send
   * it again once the claim's lease lapses. Running it twice is harmless: a second `markSent` is refused and left
   * alone. Should every attempt fail, the signer's arrival still proves the invitation arrived (signer-use-cases).
   * A message whose only bookkeeping is its mark (neither an invitation nor a follow-up) is marked with others
   * (delivered-marks.ts): nothing waits on it.
   */
  const recordDelivery = (record: OutboxRecord): TE.TaskEither<DomainError, void> => {
    const message = record.message;
    const markOnly =
      message.kind === 'notification' || (message.kind === 'email' && message.email.kind !== 'invitation');
    if (!markOnly) return withBookkeepingRetries(() => succeeded(record));
    deps.deliveredMarks.note(message.id, clock.now());
    return TE.right(undefined);
  };

  /**
   * The sender hears of an expiry by email, as from the sweep (expire-due.ts). A CRM that cannot say who they are
   * does not hold the expiry up: the credit comes back all the same, and the CRM is notified.
   */
  const expiryNotice =
    (before: SignatureProcedure, transition: Transition): T.Task<ReadonlyArray<OutboxMessage>> =>
    async () => {
      const sender = await loadSender(deps.quotes, before.tenantId, before.senderId)();
      if (E.isRight(sender)) return senderNotification(transition, sender.right);
      deps.logger.warn(
        { procedureId: before.id, code: sender.left.code },
        'expiry not emailed: sender unknown',
      );
      return [];
    };

  /**
   * A signer's invitation given up: past its deadline the procedure expires; refused for good, it fails for everyone.
   * Either way the credit comes back once.
   */
  const giveUp = (
    session: UseCaseSession,
    procedureId: string,
    position: number,
    reason: string,
    now: Date,
  ) =>
    reason === DEADLINE_PASSED
      ? onProcedure(session, procedureId, expire(now), expiryNotice)
      : onProcedure(session, procedureId, markFailed(reason, now, position));

  const failed = (record: OutboxRecord, failure: Failure) => {
    const attempt = record.attempts + 1;
    const now = clock.now();
    const nextAttempt = (deadline: Date | undefined): Date | undefined => {
      if (!failure.retryable || attempt >= delivery.maxAttempts) return undefined;
      const at = now.getTime() + retryDelayMs(attempt, delivery.baseDelayMs, delivery.maxDelayMs);
      // An invitation's retry never waits past its deadline: then it is given up and the credit comes back at once.
      return new Date(deadline === undefined ? at : Math.min(at, deadline.getTime()));
    };
    return storage.unitOfWork((session) =>
      pipe(
        invitationOf(record),
        O.match(
          () => session.outbox.markAttemptFailed(record.message.id, failure.reason, nextAttempt(undefined)),
          ({ procedureId, position }) =>
            pipe(
              session.procedures.get(procedureId),
              TE.chain((found) => {
                const retryAt = nextAttempt(O.isSome(found) ? found.value.deadline : undefined);
                return pipe(
                  session.outbox.markAttemptFailed(record.message.id, failure.reason, retryAt),
                  TE.chain(() =>
                    retryAt === undefined
                      ? giveUp(session, procedureId, position, failure.reason, now)
                      : onProcedure(session, procedureId, (p) =>
                          E.right(
                            annotate(
                              'delivery_retry_scheduled',
                              // Which signer's invitation only with several, as every signer's event says.
                              signerData(p, position, {
                                reason: failure.reason,
                                attempt,
                                retryAt: retryAt.toISOString(),
                              }),
                              now,
                            )(p),
                          ),
                        ),
                  ),
                );
              }),
            ),
        ),
      ),
    );
  };

  const handle = (record: OutboxRecord): TE.TaskEither<DomainError, boolean> => {
    const fields = { ...fieldsOf(record.message), attempt: record.attempts + 1 };
    return pipe(
      deliver(record),
      TE.matchE(
        (failure) => {
          const givenUp = !failure.retryable || record.attempts + 1 >= delivery.maxAttempts;
          if (givenUp) deps.logger.error({ ...fields, reason: failure.reason }, 'outbox message given up');
          else
            deps.logger.warn(
              { ...fields, reason: failure.reason },
              'outbox delivery failed, retry scheduled',
            );
          return pipe(
            failed(record, failure),
            TE.map(() => false),
          );
        },
        () => {
          deps.logger.info(fields, 'outbox message delivered');
          return pipe(
            recordDelivery(record),
            TE.map(() => true),
          );
        },
      ),
    );
  };
  return handle;
};
