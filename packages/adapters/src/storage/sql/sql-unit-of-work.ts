import type { Storage, StorageError, StorageSession } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import type { Kysely } from 'kysely';
import { type FailureKind, failureOfKind, outcomeUnknown } from '../storage-failure.js';
import type { Database } from './database.js';
import { type Dialect, type Execute, executeThrough, SqlContext } from './sql-context.js';
import { pauseBeforeRetry, rollbackQuietly, runInContext } from './unit-of-work-support.js';

export interface SqlUnitOfWorkConfig {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  /** The statement that opens a transaction (`begin immediate` for SQLite, `begin` for PostgreSQL). */
  readonly begin: string;
  /**
   * What a driver's error means. A `conflict` (deadlock, serialization failure) or a `transient` error (a dropped
   * connection, a restarting server) before COMMIT runs the whole unit of work again, on a fresh connection; a
   * `timeout` does not (the caller's time is spent). A `transient` error or a `timeout` of COMMIT itself is
   * `STORAGE_OUTCOME_UNKNOWN`, never re-run.
   */
  readonly classify: (cause: unknown) => FailureKind;
  readonly maxAttempts: number;
  readonly claimLeaseMs: number;
  /** Runs before every unit of work, e.g. pending migrations; its Left fails the unit of work. */
  readonly beforeEach: TE.TaskEither<StorageError, void>;
  /**
   * How the compiled statements of a unit of work run on its connection, when the dialect has something cheaper
   * than Kysely's executor (SQLite: the prepared statement, synchronously); Kysely's connection otherwise.
   */
  readonly executor?: (connection: Kysely<Database>) => Execute | undefined;
}

type Attempt<W, A> = { readonly result: E.Either<W | StorageError, A>; readonly retry: boolean };

/**
 * Runs `work` in one database transaction on one connection: commit on Right, rollback on Left, on a
 * throw, or when any statement failed. A deadlock, a serialization failure or a lost connection before COMMIT rolls
 * back and runs `work` again (at most `maxAttempts` times), so `work` must have no effect outside the session.
 */
export const makeSqlUnitOfWork =
  (config: SqlUnitOfWorkConfig): Storage['unitOfWork'] =>
  <W, A>(work: (session: StorageSession) => TE.TaskEither<W, A>): TE.TaskEither<W | StorageError, A> =>
  async () => {
    const ready = await config.beforeEach();
    if (E.isLeft(ready)) return ready;
    for (let attempt = 1; ; attempt++) {
      const { result, retry } = await attemptOnce(config, work).catch((cause: unknown): Attempt<W, A> => {
        // No connection could be had, or it broke outside a statement: nothing was committed.
        const kind = config.classify(cause);
        return { result: E.left(failureOfKind(kind, 'unit of work failed', cause)), retry: runsAgain(kind) };
      });
      if (!retry || attempt >= config.maxAttempts) return result;
      await pauseBeforeRetry(attempt);
    }
  };

/** A unit of work that certainly did not commit runs again after a conflict or a transient failure. */
const runsAgain = (kind: FailureKind): boolean => kind === 'conflict' || kind === 'transient';

const attemptOnce = <W, A>(
  config: SqlUnitOfWorkConfig,
  work: (session: StorageSession) => TE.TaskEither<W, A>,
): Promise<Attempt<W, A>> =>
  config.db.connection().execute(async (connection) => {
    const execute = config.executor?.(connection) ?? executeThrough(connection);
    await execute(config.begin, []);
    const context = new SqlContext(connection, config.dialect, config.claimLeaseMs, execute, config.classify);
    const { result, failure } = await runInContext(context, work);
    if (E.isRight(result) && failure === undefined) {
      try {
        await execute('commit', []);
        return { result, retry: false };
      } catch (cause) {
        await rollbackQuietly(execute);
        const kind = config.classify(cause);
        // The server answered COMMIT with an error (a serialization failure, a deferred constraint): it rolled
        // back. The connection broke or no answer came in time instead: COMMIT may have been applied before the
        // answer was lost.
        return kind === 'transient' || kind === 'timeout'
          ? { result: E.left(outcomeUnknown(cause)), retry: false }
          : { result: E.left(failureOfKind(kind, 'commit refused', cause)), retry: runsAgain(kind) };
      }
    }
    await rollbackQuietly(execute);
    const retry = failure !== undefined && runsAgain(config.classify(failure.cause));
    return { result: E.isLeft(result) ? result : E.left(failure!.error), retry };
  });
