import { type DomainError, isRetryable } from '@paraphe/domain';
import { pipe } from 'fp-ts/lib/function.js';
import type * as T from 'fp-ts/lib/Task.js';
import * as TE from 'fp-ts/lib/TaskEither.js';

/** Attempts at recording a delivery, and the pause before each retry (longer each time). */
const BOOKKEEPING_ATTEMPTS = 4;
const BOOKKEEPING_PAUSE_MS = 25;

/** A failed unit of work that may be run again: a transient storage failure, or a commit whose outcome was lost. */
export const mayRunAgain = (error: DomainError): boolean =>
  isRetryable(error) || error.code === 'STORAGE_OUTCOME_UNKNOWN';

const pause =
  (ms: number): T.Task<void> =>
  () =>
    new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A delivery's bookkeeping (the message delivered, the procedure `sent`), run again while its failure may pass: the
 * message has left, and giving up would send it again once its claim's lease lapses.
 */
export const withBookkeepingRetries = <A>(
  unitOfWork: () => TE.TaskEither<DomainError, A>,
  attempt = 1,
): TE.TaskEither<DomainError, A> =>
  pipe(
    unitOfWork(),
    TE.orElse((error) =>
      attempt < BOOKKEEPING_ATTEMPTS && mayRunAgain(error)
        ? pipe(
            TE.fromTask(pause(BOOKKEEPING_PAUSE_MS * attempt)),
            TE.chain(() => withBookkeepingRetries(unitOfWork, attempt + 1)),
          )
        : TE.left(error),
    ),
  );
