import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { makeDeliverRecord } from './deliver-outbox-record.js';
import type { UseCaseDependencies } from './dependencies.js';
import { addReports, emptyReport, finished, type JobReport, type JobRun } from './job-report.js';

const BATCH = 50;

/** Delivers whatever the outbox holds that is due, for every tenant: the worker's job (see deliver-outbox-record.ts). */
export const makeDispatchOutbox = (deps: UseCaseDependencies) => (): JobRun => {
  const { storage, clock } = deps;
  const handle = makeDeliverRecord(deps);

  // A message that does not decode is skipped and reported; it keeps its claim's lease, so the next claim passes over it.
  const loop = (total: JobReport): JobRun =>
    pipe(
      storage.unitOfWork((session) => session.outbox.claimDue(clock.now(), BATCH)),
      TE.chain(({ records, unreadable }) =>
        pipe(
          records,
          TE.traverseSeqArray(handle),
          TE.map((results) => ({
            report: { count: results.filter(Boolean).length, unreadable },
            claimed: records.length + unreadable.length,
          })),
        ),
      ),
      // Delivering queues more (an invitation accepted tells the CRM the procedure was sent): claim again until
      // nothing is due, so those leave in this run too. It ends: a claimed message is delivered, failed, or
      // rescheduled, and after the last attempt it fails for good; an unreadable one waits out its lease.
      TE.chain(({ report, claimed }) =>
        claimed === 0 ? TE.right(addReports(total, report)) : loop(addReports(total, report)),
      ),
    );
  return pipe(loop(emptyReport), TE.map(finished(deps.logger, 'outbox delivery')));
};
