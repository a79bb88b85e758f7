import type { DomainError, Logger, UnreadableRecord } from '@paraphe/domain';
import type * as TE from 'fp-ts/lib/TaskEither.js';

/** What a periodic job did: how many records it handled, and the stored records it could not read and skipped. */
export interface JobReport {
  readonly count: number;
  readonly unreadable: ReadonlyArray<UnreadableRecord>;
}

/** A run of a periodic job. */
export type JobRun = TE.TaskEither<DomainError, JobReport>;

export const emptyReport: JobReport = { count: 0, unreadable: [] };

/** Two runs' reports as one. */
export const addReports = (a: JobReport, b: JobReport): JobReport => ({
  count: a.count + b.count,
  unreadable: b.unreadable.length === 0 ? a.unreadable : [...a.unreadable, ...b.unreadable],
});

/**
 * Where every periodic job's run ends, whichever way it was called: what it did and every record it skipped are
 * logged, and the report goes back to the caller as it is.
 */
export const finished =
  (logger: Logger, job: string) =>
  (report: JobReport): JobReport => {
    for (const record of report.unreadable)
      logger.warn(
        { job, kind: record.kind, id: record.id, reason: record.reason },
        'unreadable record skipped',
      );
    if (report.count > 0) logger.info({ job, count: report.count }, `${job}: ${report.count} handled`);
    return report;
  };

/** The count alone, for the system use cases that answer with one (`expireDue`, `sendReminders`, `dispatchOutbox`). */
export const countOf = (report: JobReport): number => report.count;

/** The periodic jobs with their full reports, as `runPeriodicJobs` runs them. */
export interface PeriodicJobs {
  readonly expireDue: () => JobRun;
  readonly sendReminders: () => JobRun;
  readonly dispatchOutbox: () => JobRun;
}
