import type { DomainError, ErrorCode, Storage, StorageSession } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import { expect } from 'vitest';

/** Runs one unit of work and returns its Either. */
export const run = <A>(
  storage: Storage,
  work: (session: StorageSession) => TE.TaskEither<DomainError, A>,
): Promise<E.Either<DomainError, A>> => storage.unitOfWork(work)();

/** Runs one unit of work that must succeed, and returns its value. */
export const runRight = async <A>(
  storage: Storage,
  work: (session: StorageSession) => TE.TaskEither<DomainError, A>,
): Promise<A> => assertRight(await run(storage, work));

export const assertRight = <A>(result: E.Either<DomainError, A>): A => {
  if (E.isLeft(result)) throw new Error(`Expected Right, got ${JSON.stringify(result.left)}`);
  return result.right;
};

export const assertLeftCode = <A>(result: E.Either<DomainError, A>, code: ErrorCode): DomainError => {
  if (E.isRight(result)) throw new Error(`Expected Left ${code}, got Right ${JSON.stringify(result.right)}`);
  expect(result.left.code).toBe(code);
  return result.left;
};
