import { isStorageError, type Storage, type StorageError, type StorageSession } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import { expect } from 'vitest';

/** Runs one unit of work and returns its Either. */
export const run = <W, A>(
  storage: Storage,
  work: (session: StorageSession) => TE.TaskEither<W, A>,
): Promise<E.Either<W | StorageError, A>> => storage.unitOfWork(work)();

/** Runs one unit of work that must succeed, and returns its value. */
export const runRight = async <W, A>(
  storage: Storage,
  work: (session: StorageSession) => TE.TaskEither<W, A>,
): Promise<A> => assertRight(await run(storage, work));

export const assertRight = <L, A>(result: E.Either<L, A>): A => {
  if (E.isLeft(result)) throw new Error(`Expected Right, got ${JSON.stringify(result.left)}`);
  return result.right;
};

/** The storage error of a unit of work that must fail with this kind of failure. */
export const assertLeftTag = <Tag extends StorageError['_tag'], L, A>(
  result: E.Either<L, A>,
  tag: Tag,
): Extract<StorageError, { _tag: Tag }> => {
  if (E.isRight(result)) throw new Error(`Expected Left ${tag}, got Right ${JSON.stringify(result.right)}`);
  expect((result.left as { _tag?: unknown })._tag).toBe(tag);
  return result.left as Extract<StorageError, { _tag: Tag }>;
};

/** A failure as a test tallies it: a storage error by its kind (a credit refusal with its reason), else its code. */
export const failureName = (error: unknown): string => {
  if (isStorageError(error))
    return error._tag === 'StorageCreditRefused' ? `${error._tag}:${error.reason}` : error._tag;
  return String((error as { code?: unknown }).code);
};
