import type { DomainError } from '@paraphe/domain';
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
  // Deliveries noted but not yet recorded (delivered-marks.ts) are written before each claim, so that a clock moved
  // past their lease never claims them again, and at the end, so that the run's report is what the storage holds.
  const recordedMarks: TE.TaskEither<DomainError, void> = TE.fromTask(() => deps.deliveredMarks.flush());
  const loop = (total: JobReport): JobRun =>
    pipe(
      recordedMarks,
      TE.chain(() => storage.unitOfWork((session) => session.outbox.claimDue(clock.now(), BATCH))),
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
  return pipe(
    loop(emptyReport),
    TE.chainFirst(() => recordedMarks),
    TE.map(finished(deps.logger, 'outbox delivery')),
  );
};
