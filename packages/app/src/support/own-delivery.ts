import type { DomainError, SenderUseCases } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import type { OwnDelivery } from '../use-cases/deliver-own-messages.js';
import type { UseCaseDependencies } from '../use-cases/dependencies.js';
import { makeSenderUseCases } from '../use-cases/sender-use-cases.js';
import { type RequestRecord, recordingInto } from './produced-messages.js';
import { toProcedureView } from './views.js';

type AnyUseCase = (...args: never[]) => TE.TaskEither<DomainError, unknown>;
type AnyAnswer = (
  result: E.Either<DomainError, unknown>,
  record: RequestRecord,
) => E.Either<DomainError, unknown>;

/** How each call answers once its own messages were delivered, from its result and what it saw and wrote. */
type Answers<U> = {
  readonly [K in keyof U]?: U[K] extends (...args: never[]) => TE.TaskEither<DomainError, infer A>
    ? (result: E.Either<DomainError, A>, record: RequestRecord) => E.Either<DomainError, A>
    : never;
};

/**
 * The use cases `make` builds, where the calls named in `changing` deliver, once they succeeded, the messages they
 * produced, within `budgetMs`: an email leaves as soon as its change committed, yet no request waits on another's
 * delivery, another tenant's backlog or a hung receiver past the budget. Each such call runs on use cases of its own,
 * built on a storage that notes what it writes (produced-messages.ts). The answer is the call's own (or what
 * `answers` makes of it and of what the call wrote): a delivery problem is the outbox's to retry. A call that failed
 * after one of its units of work committed still starts the message claimed for it, which would otherwise wait out
 * its lease.
 */
export const deliveringOwnMessages = <U extends object>(
  make: (deps: UseCaseDependencies) => U,
  deps: UseCaseDependencies,
  changing: ReadonlyArray<keyof U>,
  own: OwnDelivery,
  budgetMs: number,
  answers: Answers<U> = {},
): U => {
  const shared = make(deps);
  return Object.fromEntries(
    Object.entries(shared).map(([name, useCase]) => [
      name,
      !changing.includes(name as keyof U)
        ? useCase
        : (...args: never[]) =>
            async () => {
              const record = own.open(budgetMs);
              const mine = make({ ...deps, storage: recordingInto(deps.storage, record) });
              const result = await (mine[name as keyof U] as AnyUseCase)(...args)();
              await own.deliver(record, budgetMs, E.isLeft(result));
              const answer = answers[name as keyof U] as AnyAnswer | undefined;
              return answer === undefined ? result : answer(result, record);
            },
    ]),
  ) as U;
};

/**
 * The sender's calls with their own delivery; `send` then answers with the procedure as the call last saw it in a
 * committed unit of work (`sent` once the invitation left and its delivery was recorded), not read again.
 */
export const senderDeliveringOwn = (
  deps: UseCaseDependencies,
  own: OwnDelivery,
  budgetMs: number,
): SenderUseCases =>
  deliveringOwnMessages(makeSenderUseCases, deps, ['send', 'cancel'], own, budgetMs, {
    send: (result, record) => {
      if (E.isLeft(result)) return result;
      const seen = record.procedures.get(result.right.id);
      return seen === undefined ? result : E.right(toProcedureView(seen, deps.clock.now()));
    },
  });
