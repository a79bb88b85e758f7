import type * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';

/** What a host's port call came to: its answer, unchecked, or that it threw or rejected (the cause is not kept). */
export type PortCallOutcome = { readonly threw: true } | { readonly threw: false; readonly answer: unknown };

/**
 * Runs a port the host wrote (a CRM's quote source or notifier): its code may throw, reject, or answer anything, so
 * the answer is only looked at by the caller. The thrown error is dropped: it may hold personal data.
 */
export const runPortCall = async (call: () => TE.TaskEither<unknown, unknown>): Promise<PortCallOutcome> => {
  try {
    return { threw: false, answer: await call()() };
  } catch {
    return { threw: true };
  }
};

export const isEither = (u: unknown): u is E.Either<unknown, unknown> =>
  typeof u === 'object' &&
  u !== null &&
  ((u as E.Either<unknown, unknown>)._tag === 'Left' || (u as E.Either<unknown, unknown>)._tag === 'Right');
