import type { Storage, StorageError, StorageSession } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import type { Kysely } from 'kysely';
import type { Database } from '../sql/database.js';
import { type Execute, SqlContext } from '../sql/sql-context.js';
import { pauseBeforeRetry, rollbackQuietly, runInContext } from '../sql/unit-of-work-support.js';
import { type FailureKind, failureOfKind } from '../storage-failure.js';

export interface GroupCommitConfig {
  readonly db: Kysely<Database>;
  /** What a driver's error means; a `transient` one (another process held the write lock too long) runs again. */
  readonly classify: (cause: unknown) => FailureKind;
  readonly maxAttempts: number;
  readonly claimLeaseMs: number;
  /** Runs before every unit of work, e.g. pending migrations; its Left fails the unit of work. */
  readonly beforeEach: TE.TaskEither<StorageError, void>;
  /** How statements run on the one connection (the prepared statement, synchronously). */
  readonly executor: () => Execute | undefined;
  /** Whether the connection is still inside the group's transaction: some errors make SQLite roll it all back. */
  readonly inTransaction: () => boolean;
  /** How many units of work one commit may carry at most. */
  readonly maxGroupSize: number;
  /** Told after each commit how many units of work it carried. */
  readonly onCommit?: (unitsOfWork: number) => void;
  /**
   * Asked right before each COMMIT: an error refuses it. The group is rolled back and each of its units of work
   * fails with that error, never run again (the database's files were deleted or replaced under it).
   */
  readonly refuseCommit?: () => StorageError | undefined;
}

interface Job {
  readonly work: (session: StorageSession) => TE.TaskEither<unknown, unknown>;
  readonly settle: (result: E.Either<unknown, unknown>) => void;
  attempts: number;
}

interface Done {
  readonly job: Job;
  readonly result: E.Either<unknown, unknown>;
}

/** How one unit of work of a group ended: its writes kept; undone and settled (or queued again); or all lost. */
type Ran =
  | { readonly _tag: 'kept'; readonly done: Done }
  | { readonly _tag: 'undone' }
  | { readonly _tag: 'lost'; readonly error: StorageError; readonly cause: unknown };

const SAVEPOINT = 'unit_of_work';

const isTransient = (config: GroupCommitConfig, cause: unknown): boolean =>
  config.classify(cause) === 'transient';

/**
 * Units of work on the one SQLite connection, committed in groups: while one runs, the units of work that callers
 * start meanwhile wait in a queue, and when it ends they run next in the same transaction, each inside its own
 * savepoint, so that one commit — most of a short write's cost — carries them all. A caller alone is never held
 * back: its group is itself. Each unit of work still sees the writes of those before it, exactly as if they had
 * committed one by one, and its result reaches its caller only once the group's commit succeeded. A unit of work
 * that fails rolls back to its savepoint: the others keep their writes. If the commit fails, or a failed statement
 * made SQLite roll the whole transaction back, the group's units of work are run again when the failure is
 * retryable (SQLITE_BUSY), and fail otherwise; each failure names what failed (a statement, `commit`, `begin`).
 */
export const makeGroupCommitUnitOfWork = (config: GroupCommitConfig): Storage['unitOfWork'] => {
  const queue: Job[] = [];
  let draining = false;

  const retryOrFail = (job: Job, error: unknown, cause: unknown): void => {
    if (isTransient(config, cause) && job.attempts < config.maxAttempts) {
      job.attempts += 1;
      queue.unshift(job);
    } else {
      job.settle(E.left(error));
    }
  };

  /**
   * Runs one unit of work of the group inside its savepoint: `kept` when its writes are kept (it is answered after
   * the commit), `undone` when it failed (answered now, or queued again when it may be retried), `lost` when its
   * failed statement made SQLite roll back the whole transaction (a full disk while the page cache spilled, an I/O
   * error). The first of a transaction needs no savepoint (two statements fewer for a caller alone): when it
   * fails, the whole transaction is rolled back, and the group begins a new one for whoever comes next.
   */
  const runOne = async (
    execute: Execute,
    connection: Kysely<Database>,
    job: Job,
    first: boolean,
  ): Promise<Ran> => {
    if (!first) await execute(`savepoint ${SAVEPOINT}`, []);
    const context = new SqlContext(connection, 'sqlite', config.claimLeaseMs, execute, config.classify);
    const { result, failure } = await runInContext(context, job.work);
    if (E.isRight(result) && failure === undefined) {
      if (!first) await execute(`release ${SAVEPOINT}`, []);
      return { _tag: 'kept', done: { job, result } };
    }
    if (!config.inTransaction()) {
      if (failure === undefined) throw new Error('the transaction was rolled back');
      return { _tag: 'lost', error: failure.error, cause: failure.cause };
    }
    if (first) {
      await execute('rollback', []);
    } else {
      await execute(`rollback to ${SAVEPOINT}`, []);
      await execute(`release ${SAVEPOINT}`, []);
    }
    if (failure === undefined) job.settle(result);
    else retryOrFail(job, E.isLeft(result) ? result.left : failure.error, failure.cause);
    return { _tag: 'undone' };
  };

  /**
   * Nothing of the group is kept: the unit of work whose statement failed fails with that statement's error, the
   * others of the group with the fact that their writes went with it; each counts one attempt.
   */
  const loseGroup = async (
    execute: Execute,
    job: Job,
    lost: Extract<Ran, { _tag: 'lost' }>,
    done: Done[],
  ) => {
    await rollbackQuietly(execute);
    const reason = `rolled back with its group: ${lost.error.reason} failed`;
    const withIt = failureOfKind(config.classify(lost.cause), reason, lost.cause);
    for (const { job: other } of [...done].reverse()) retryOrFail(other, withIt, lost.cause);
    retryOrFail(job, lost.error, lost.cause);
    if (isTransient(config, lost.cause)) await pauseBeforeRetry(queue[0]?.attempts ?? 1);
  };

  const runGroup = (): Promise<void> =>
    config.db.connection().execute(async (connection) => {
      const execute = config.executor();
      if (execute === undefined) throw new Error('the SQLite connection is not open');
      const done: Done[] = [];
      let current: Job | undefined;
      // Which of the group's own statements runs: a failure it throws is reported as `<step> failed`.
      let step: 'begin' | 'savepoint' | 'commit' = 'begin';
      try {
        await execute('begin immediate', []);
        step = 'savepoint';
        while (done.length < config.maxGroupSize && queue.length > 0) {
          current = queue.shift()!;
          const first = done.length === 0;
          const ran = await runOne(execute, connection, current, first);
          if (ran._tag === 'lost') return await loseGroup(execute, current, ran, done);
          current = undefined;
          if (ran._tag === 'kept') {
            done.push(ran.done);
          } else if (first) {
            // Its failure rolled the transaction back: nothing of this group is held, as before BEGIN.
            step = 'begin';
            await execute('begin immediate', []);
            step = 'savepoint';
          }
        }
        const refused = config.refuseCommit?.();
        if (refused !== undefined) {
          await rollbackQuietly(execute);
          for (const { job } of done) job.settle(E.left(refused));
          return;
        }
        step = 'commit';
        await execute('commit', []);
      } catch (cause) {
        // Nothing of the group is kept: every unit of work it ran, the one running, and (when BEGIN itself failed,
        // e.g. another process held the write lock past the busy timeout) those waiting count one attempt.
        await rollbackQuietly(execute);
        const error = failureOfKind(config.classify(cause), `${step} failed`, cause);
        const affected =
          step === 'begin'
            ? queue.splice(0)
            : [...(current === undefined ? [] : [current]), ...done.map((d) => d.job)];
        for (const job of affected.reverse()) retryOrFail(job, error, cause);
        if (isTransient(config, cause)) await pauseBeforeRetry(queue[0]?.attempts ?? 1);
        return;
      }
      config.onCommit?.(done.length);
      for (const { job, result } of done) job.settle(result);
    });

  const drain = async (): Promise<void> => {
    draining = true;
    try {
      while (queue.length > 0) {
        await runGroup().catch((cause: unknown) => {
          // The connection could not be had at all: the queued units of work fail with the reason.
          for (const job of queue.splice(0))
            job.settle(E.left(failureOfKind(config.classify(cause), 'unit of work failed', cause)));
        });
      }
    } finally {
      draining = false;
    }
  };

  return <W, A>(work: (session: StorageSession) => TE.TaskEither<W, A>): TE.TaskEither<W | StorageError, A> =>
    async () => {
      const ready = await config.beforeEach();
      if (E.isLeft(ready)) return ready;
      return new Promise<E.Either<W | StorageError, A>>((resolve) => {
        queue.push({
          work,
          settle: resolve as (result: E.Either<unknown, unknown>) => void,
          attempts: 1,
        });
        if (!draining) void drain();
      });
    };
};
