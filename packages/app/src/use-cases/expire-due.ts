import { type DomainError, expire, type SignatureProcedure, type StorageSession } from '@paraphe/domain';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { senderNotification } from '../support/lifecycle-messages.js';
import { persistTransition } from '../support/persist-transition.js';
import { loadSender } from '../support/sender.js';
import type { UseCaseDependencies } from './dependencies.js';

const BATCH = 100;

/**
 * The sweep makes expiry visible and gives credits back. Each batch is claimed and expired in one unit of work,
 * and claimed procedures are skipped by concurrent sweepers, so running it twice at once releases each credit once.
 */
export const makeExpireDue = (deps: UseCaseDependencies) => (): TE.TaskEither<DomainError, number> => {
  const { storage, clock } = deps;
  const expireOne = (session: StorageSession, now: Date) => (before: SignatureProcedure) =>
    pipe(
      loadSender(deps.quotes, before.tenantId, before.senderId),
      TE.chain((sender) =>
        pipe(
          TE.fromEither(expire(now)(before)),
          TE.chain((transition) =>
            persistTransition(session, before, transition, now, senderNotification(transition, sender)),
          ),
        ),
      ),
    );

  const batch = (): TE.TaskEither<DomainError, number> => {
    const now = clock.now();
    return storage.unitOfWork((session) =>
      pipe(
        session.procedures.claimDue(now, BATCH),
        TE.chain(TE.traverseSeqArray(expireOne(session, now))),
        TE.map((expired) => expired.length),
      ),
    );
  };

  const loop = (total: number): TE.TaskEither<DomainError, number> =>
    pipe(
      batch(),
      TE.chain((count) => (count < BATCH ? TE.right(total + count) : loop(total + count))),
    );
  return loop(0);
};
