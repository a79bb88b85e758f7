import type { Paraphe } from '@paraphe/app';
import type { DomainError } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';

type AnyCall = (...args: never[]) => TE.TaskEither<DomainError, unknown> | Promise<unknown>;

const recording = <U extends object>(useCases: U, errors: DomainError[]): U =>
  Object.fromEntries(
    Object.entries(useCases).map(([name, useCase]) => [
      name,
      (...args: never[]) => {
        const task = (useCase as AnyCall)(...args);
        // A call that answers with a promise (`startWorker`) is no task: it is kept as it is, and so runs.
        if (typeof task !== 'function') return task;
        return async () => {
          const result = await task();
          if (E.isLeft(result)) errors.push(result.left);
          return result;
        };
      },
    ]),
  ) as U;

/** The same facade, keeping every `DomainError` any call returned, for the no-secret-in-errors check. */
export const recordingErrors = (
  paraphe: Paraphe,
): { readonly paraphe: Paraphe; readonly errors: DomainError[] } => {
  const errors: DomainError[] = [];
  return {
    errors,
    paraphe: {
      admin: recording(paraphe.admin, errors),
      sender: recording(paraphe.sender, errors),
      signer: recording(paraphe.signer, errors),
      system: recording(paraphe.system, errors),
      close: paraphe.close,
    },
  };
};
