import { createProcedure, type DomainError, type StorageError, type StorageSession } from '@paraphe/domain';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { emailMessage } from './outbox-fixtures.js';
import { newProcedureInput } from './procedure-fixtures.js';

/** Yields to the event loop so that concurrent units of work get every chance to interleave. */
const pause = <A>(value: A): TE.TaskEither<StorageError, A> =>
  TE.fromTask(() => new Promise<A>((resolve) => setTimeout(() => resolve(value), 1)));

/**
 * What "send for signature" does at the storage level, in one unit of work: read the balance for update,
 * create the procedure (which reserves a credit or refuses), store it, append the reservation, queue the
 * invitation.
 */
export const simulateSend = (
  session: StorageSession,
  tenantId: string,
  procedureId: string,
  now: Date,
): TE.TaskEither<StorageError | DomainError, void> =>
  pipe(
    session.ledger.balanceForUpdate(tenantId),
    TE.chain(pause),
    TE.chainEitherKW((balance) =>
      createProcedure(newProcedureInput({ id: procedureId, tenantId, now, balance }), now),
    ),
    TE.chainFirstW((created) => session.procedures.insert(created.procedure)),
    TE.chainFirstW((created) => session.ledger.append(created.ledger)),
    TE.chainW((created) => session.outbox.enqueue([emailMessage(`invite-${created.procedure.id}`)], now)),
  );
