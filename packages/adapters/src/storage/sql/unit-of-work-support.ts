import type { StorageError, StorageSession } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import { fromThrown } from '../storage-failure.js';
import type { Execute, SqlContext } from './sql-context.js';
import { makeSqlSession } from './sql-session.js';

/**
 * Runs `work` on a session over `context`, then sends the writes still waiting (a problem they meet fails the work)
 * and closes the context. A throw is a Left. The caller commits when the result is Right and no statement failed.
 */
export const runInContext = async <W, A>(
  context: SqlContext,
  work: (session: StorageSession) => TE.TaskEither<W, A>,
): Promise<{ readonly result: E.Either<W | StorageError, A>; readonly failure: SqlContext['failure'] }> => {
  let result: E.Either<W | StorageError, A>;
  try {
    result = await work(makeSqlSession(context))();
  } catch (cause) {
    result = E.left(fromThrown('unit of work threw')(cause));
  }
  if (E.isRight(result)) {
    const flushed = await context.flush();
    if (E.isLeft(flushed)) result = flushed;
  }
  context.close();
  return { result, failure: context.failure };
};

/** A failed rollback leaves nothing to undo: the database already rolled back, or the connection is gone. */
export const rollbackQuietly = async (execute: Execute): Promise<void> => {
  try {
    await execute('rollback', []);
  } catch {
    // Nothing left to roll back.
  }
};

/** A random pause, longer with each attempt, so that units of work that collided do not collide again. */
export const pauseBeforeRetry = (attempt: number): Promise<void> =>
  new Promise<void>((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
