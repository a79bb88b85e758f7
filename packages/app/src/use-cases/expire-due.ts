import { type DomainError, expire, type SignatureProcedure } from '@paraphe/domain';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { senderNotification } from '../support/lifecycle-messages.js';
import { persistTransition } from '../support/persist-transition.js';
import { loadSender } from '../support/sender.js';
import type { UseCaseSession } from '../support/use-case-storage.js';
import type { UseCaseDependencies } from './dependencies.js';
import { addReports, emptyReport, finished, type JobReport, type JobRun } from './job-report.js';

const BATCH = 100;

/**
 * The sweep makes expiry visible and gives credits back. Each batch is claimed and expired in one unit of work,
 * and claimed procedures are skipped by concurrent sweepers, so running it twice at once releases each credit once.
 * A stored procedure that does not decode is skipped and reported; the others expire all the same.
 */
export const makeExpireDue = (deps: UseCaseDependencies) => (): JobRun => {
  const { storage, clock } = deps;
  const expireOne = (session: UseCaseSession, now: Date) => (before: SignatureProcedure) =>
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

  const batch = (): TE.TaskEither<DomainError, JobReport & { readonly claimed: number }> => {
    const now = clock.now();
    return storage.unitOfWork((session) =>
      pipe(
        session.procedures.claimDue(now, BATCH),
        TE.chain(({ records, unreadable }) =>
          pipe(
            records,
            TE.traverseSeqArray(expireOne(session, now)),
            TE.map((expired) => ({
              count: expired.length,
              unreadable,
              claimed: records.length + unreadable.length,
            })),
          ),
        ),
      ),
    );
  };

  // It ends: an unreadable procedure keeps its claim's lease, so the next batch does not take it again.
  const loop = (total: JobReport): JobRun =>
    pipe(
      batch(),
      TE.chain(({ claimed, ...report }) =>
        claimed < BATCH ? TE.right(addReports(total, report)) : loop(addReports(total, report)),
      ),
    );
  return pipe(loop(emptyReport), TE.map(finished(deps.logger, 'expiry sweep')));
};
