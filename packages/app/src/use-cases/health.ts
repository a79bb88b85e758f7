import type { DomainError, HealthReport } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import * as O from 'fp-ts/lib/Option.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import type { UseCaseDependencies } from './dependencies.js';

const ageMs = (since: O.Option<Date>, now: Date): number =>
  O.isNone(since) ? 0 : Math.max(0, now.getTime() - since.value.getTime());

/**
 * A health check's answer, in one short read: an unreachable storage is part of the report, not a failure of the
 * check. A growing `oldestDueMessageAgeMs` says no worker runs (or a receiver is down); a growing
 * `oldestOverdueExpiryAgeMs` says no sweep runs, so credits stay reserved.
 */
export const makeHealth =
  ({ storage, clock }: Pick<UseCaseDependencies, 'storage' | 'clock'>) =>
  (): TE.TaskEither<DomainError, HealthReport> =>
  async () => {
    const now = clock.now();
    const read = await storage.unitOfWork((session) => async () => {
      const due = await session.outbox.oldestDue(now)();
      if (E.isLeft(due)) return due;
      const overdue = await session.procedures.oldestOverdue(now)();
      return E.isLeft(overdue) ? overdue : E.right({ due: due.right, overdue: overdue.right });
    })();
    return E.right(
      E.isLeft(read)
        ? {
            storage: 'unreachable',
            storageError: read.left.code,
            oldestDueMessageAgeMs: 0,
            oldestOverdueExpiryAgeMs: 0,
          }
        : {
            storage: 'ok',
            oldestDueMessageAgeMs: ageMs(read.right.due, now),
            oldestOverdueExpiryAgeMs: ageMs(read.right.overdue, now),
          },
    );
  };
