import type { Paraphe } from '@paraphe/app';
import type { DomainError } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';

type AnyUseCase = (...args: never[]) => TE.TaskEither<DomainError, unknown>;

const recording = <U extends object>(useCases: U, errors: DomainError[]): U =>
  Object.fromEntries(
    Object.entries(useCases).map(([name, useCase]) => [
      name,
      (...args: never[]) =>
        async () => {
          const result = await (useCase as AnyUseCase)(...args)();
          if (E.isLeft(result)) errors.push(result.left);
          return result;
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
