import type { DomainError, SenderUseCases } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import { type ProducedMessage, recordProduced } from './produced-messages.js';

/** Delivers what a request produced within a budget (deliver-own-messages.ts). */
export type DeliverOwn = (produced: ReadonlyArray<ProducedMessage>, budgetMs: number) => Promise<void>;

type AnyUseCase = (...args: never[]) => TE.TaskEither<DomainError, unknown>;

/**
 * The calls named in `changing` deliver, once they succeeded, the messages they produced, within `budgetMs`: an email
 * leaves as soon as its change committed, yet no request waits on another's delivery, another tenant's backlog or a
 * hung receiver past the budget. The answer is the call's own: a delivery problem is the outbox's to retry.
 */
export const deliveringOwnMessages = <U extends object>(
  useCases: U,
  changing: ReadonlyArray<keyof U>,
  deliver: DeliverOwn,
  budgetMs: number,
): U =>
  Object.fromEntries(
    Object.entries(useCases).map(([name, useCase]) => [
      name,
      !changing.includes(name as keyof U)
        ? useCase
        : (...args: never[]) =>
            async () => {
              const produced: ProducedMessage[] = [];
              const result = await recordProduced(produced, () => (useCase as AnyUseCase)(...args)());
              if (E.isRight(result) && produced.length > 0)
                await recordProduced(produced, () => deliver(produced, budgetMs));
              return result;
            },
    ]),
  ) as U;

/**
 * The sender's calls with their own delivery; `send` then answers with the procedure as it stands after it (`sent`
 * once the invitation left). The send has committed: should that read fail, the answer is the procedure as committed.
 */
export const senderDeliveringOwn = (
  sender: SenderUseCases,
  deliver: DeliverOwn,
  budgetMs: number,
): SenderUseCases => {
  const delivering = deliveringOwnMessages(sender, ['send', 'cancel'], deliver, budgetMs);
  return {
    ...delivering,
    send: (actor, input) => async () => {
      const committed = await delivering.send(actor, input)();
      if (E.isLeft(committed)) return committed;
      const current = await sender.getProcedure(actor, committed.right.id)();
      return E.isRight(current) ? current : committed;
    },
  };
};
