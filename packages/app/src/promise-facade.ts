import type { DomainError } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import type { Paraphe } from './create-paraphe.js';

/** What every promise of the Promise API resolves to: a business outcome is data, never a rejection. */
export type Result<A> =
  | { readonly ok: true; readonly value: A }
  | { readonly ok: false; readonly error: DomainError };

/** The same calls as `U`, each returning a promise of a `Result` instead of a TaskEither. */
export type Promised<U> = {
  readonly [K in keyof U]: U[K] extends (...args: infer P) => TE.TaskEither<DomainError, infer A>
    ? (...args: P) => Promise<Result<A>>
    : U[K];
};

/** The facade for `await`: `const sent = await paraphe.sender.send(actor, input); if (sent.ok) …`. */
export interface ParapheAsync {
  readonly admin: Promised<Paraphe['admin']>;
  readonly sender: Promised<Paraphe['sender']>;
  readonly signer: Promised<Paraphe['signer']>;
  readonly system: Promised<Paraphe['system']>;
  readonly close: () => Promise<void>;
  /** The fp-ts facade the promises are made from, for code that composes TaskEithers. */
  readonly taskEither: Paraphe;
}

export const toResult = <A>(either: E.Either<DomainError, A>): Result<A> =>
  E.isRight(either) ? { ok: true, value: either.right } : { ok: false, error: either.left };

/** Every call of an area, run and turned into a promise of a Result: one generic wrapper, no method written twice. */
const promised = <U extends object>(useCases: U): Promised<U> =>
  Object.fromEntries(
    Object.entries(useCases).map(([name, useCase]) => [
      name,
      // A TaskEither is run into a Result; a call that already returns a promise (`startWorker`) is kept as it is.
      (...args: never[]) => {
        const out = (useCase as (...a: never[]) => unknown)(...args);
        return typeof out === 'function'
          ? (out as TE.TaskEither<DomainError, unknown>)().then(toResult)
          : out;
      },
    ]),
  ) as Promised<U>;

/** The Promise API over an fp-ts facade. */
export const toParapheAsync = (paraphe: Paraphe): ParapheAsync => ({
  admin: promised(paraphe.admin),
  sender: promised(paraphe.sender),
  signer: promised(paraphe.signer),
  system: promised(paraphe.system),
  close: paraphe.close,
  taskEither: paraphe,
});
