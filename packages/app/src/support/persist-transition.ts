import type { DomainError, OutboxMessage, SignatureProcedure, Transition } from '@paraphe/domain';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { crmNotifications } from './lifecycle-messages.js';
import type { UseCaseSession } from './use-case-storage.js';

/**
 * Writes a transition in the current unit of work: the procedure (refused if someone changed it meanwhile),
 * its ledger entries, the CRM notification of a status change, and any further messages.
 */
export const persistTransition = (
  session: UseCaseSession,
  before: SignatureProcedure,
  transition: Transition,
  now: Date,
  messages: ReadonlyArray<OutboxMessage> = [],
): TE.TaskEither<DomainError, SignatureProcedure> => {
  const outgoing = [...crmNotifications(before, transition), ...messages];
  return pipe(
    session.procedures.update(transition.procedure, before.version),
    TE.chain(() =>
      transition.ledger.length > 0 ? session.ledger.append(transition.ledger) : TE.right(undefined),
    ),
    TE.chain(() => (outgoing.length > 0 ? session.outbox.enqueue(outgoing, now) : TE.right(undefined))),
    TE.map(() => transition.procedure),
  );
};
