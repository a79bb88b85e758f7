import { balanceOf, type Storage } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { expect } from 'vitest';
import { T0 } from './procedure-fixtures.js';
import { failureName, runRight } from './run-work.js';

export const buyCredits = (storage: Storage, tenantId: string, quantity: number) =>
  runRight(storage, (s) =>
    s.ledger.append([{ kind: 'purchased', tenantId, quantity, orderReference: 'race', at: T0 }]),
  );

/** Counts the outcomes of a race of sends: the failures by name (`failureName`), and how many succeeded. */
export const tally = (results: ReadonlyArray<E.Either<unknown, unknown>>) => ({
  sent: results.filter(E.isRight).length,
  refusals: results.flatMap((r) => (E.isLeft(r) ? [failureName(r.left)] : [])),
});

/** After a race: `credits` sends went through, every trace of them is stored, and the ledger balances. */
export const expectExactlySent = async (
  storage: Storage,
  tenantId: string,
  credits: number,
  attempts: number,
) => {
  const state = await runRight(storage, (s) =>
    pipe(
      TE.Do,
      TE.bind('balance', () => s.ledger.balanceForUpdate(tenantId)),
      TE.bind('entries', () => s.ledger.entries(tenantId)),
      TE.bind('outbox', () => s.outbox.list()),
    ),
  );
  expect(state.balance).toStrictEqual({ purchased: credits, available: 0, reserved: credits, captured: 0 });
  expect(balanceOf(state.entries)).toStrictEqual(state.balance);
  const reserved = state.entries.flatMap((e) => (e.kind === 'reserved' ? [e.procedureId] : []));
  expect(new Set(reserved).size).toBe(credits);
  expect(state.outbox.map((r) => r.message.id).sort()).toStrictEqual(
    reserved.map((id) => `invite-${id}`).sort(),
  );
  const stored = await Promise.all(
    Array.from({ length: attempts }, (_, i) => runRight(storage, (s) => s.procedures.get(`send-${i}`))),
  );
  expect(stored.filter((p) => p._tag === 'Some').length).toBe(credits);
};
