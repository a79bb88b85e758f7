import * as E from 'fp-ts/lib/Either.js';

const show = (value: unknown): string => JSON.stringify(value, null, 2) ?? String(value);

/** Returns the Right value, or throws with the Left shown, so a test fails on the line that expected success. */
export const assertRight = <L, A>(result: E.Either<L, A>): A => {
  if (E.isLeft(result)) throw new Error(`Expected Right, got Left: ${show(result.left)}`);
  return result.right;
};

/** Returns the Left value, or throws with the Right shown. */
export const assertLeft = <L, A>(result: E.Either<L, A>): L => {
  if (E.isRight(result)) throw new Error(`Expected Left, got Right: ${show(result.right)}`);
  return result.left;
};
