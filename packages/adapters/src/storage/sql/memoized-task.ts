import type { StorageError } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';

/** Runs `task` once it succeeds: concurrent callers share the run in progress, a failure is tried again next time. */
export const succeedOnce = <A>(task: TE.TaskEither<StorageError, A>): TE.TaskEither<StorageError, A> => {
  let running: Promise<E.Either<StorageError, A>> | undefined;
  return () => {
    if (running === undefined) {
      running = task().then((result) => {
        if (E.isLeft(result)) running = undefined;
        return result;
      });
    }
    return running;
  };
};
