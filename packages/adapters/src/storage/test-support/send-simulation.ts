import { createProcedure, type DomainError, type StorageSession } from '@paraphe/domain';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { emailMessage } from './outbox-fixtures.js';
import { newProcedureInput } from './procedure-fixtures.js';

/** Yields to the event loop so that concurrent units of work get every chance to interleave. */
const pause = <A>(value: A): TE.TaskEither<DomainError, A> =>
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
): TE.TaskEither<DomainError, void> =>
  pipe(
    session.ledger.balanceForUpdate(tenantId),
    TE.chain(pause),
    TE.chainEitherK((balance) =>
      createProcedure(newProcedureInput({ id: procedureId, tenantId, now, balance }), now),
    ),
    TE.chainFirst((created) => session.procedures.insert(created.procedure)),
    TE.chainFirst((created) => session.ledger.append(created.ledger)),
    TE.chain((created) => session.outbox.enqueue([emailMessage(`invite-${created.procedure.id}`)], now)),
  );
