import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';

/** What every contract fixture has: a way to release what `makeFresh` started (servers, connections). */
export interface ContractFixture {
  readonly close: () => Promise<void>;
}

/** One rule of a port's contract, checked on a fixture made fresh for it; it throws (an `expect`) when broken. */
export interface ContractCheck<F> {
  readonly name: string;
  readonly check: (fixture: F) => Promise<void>;
}

const onFresh = async <F extends ContractFixture>(
  makeFresh: () => Promise<F>,
  check: (fixture: F) => Promise<void>,
): Promise<void> => {
  const fixture = await makeFresh();
  try {
    await check(fixture);
  } finally {
    await fixture.close();
  }
};

/** One test per check, each on its own fresh fixture, closed after it whatever the outcome. */
export const describeContract = <F extends ContractFixture>(
  title: string,
  checks: ReadonlyArray<ContractCheck<F>>,
  makeFresh: () => Promise<F>,
): void => {
  describe(title, () => {
    for (const { name, check } of checks) it(name, () => onFresh(makeFresh, check));
  });
};

/** The names of the checks a fixture fails, in order: how a suite is shown to catch a broken adapter. */
export const failingChecks = async <F extends ContractFixture>(
  checks: ReadonlyArray<ContractCheck<F>>,
  makeFresh: () => Promise<F>,
): Promise<ReadonlyArray<string>> => {
  const failed: string[] = [];
  for (const { name, check } of checks) {
    try {
      await onFresh(makeFresh, check);
    } catch {
      failed.push(name);
    }
  }
  return failed;
};

/** The value of a Right; a Left fails the check with what it held. */
export const assertRight = <L, A>(result: E.Either<L, A>): A => {
  if (E.isLeft(result)) throw new Error(`Expected Right, got Left ${JSON.stringify(result.left)}`);
  return result.right;
};

/** The value of a Left; a Right fails the check with what it held. */
export const assertLeft = <L, A>(result: E.Either<L, A>): L => {
  if (E.isRight(result)) throw new Error(`Expected Left, got Right ${JSON.stringify(result.right)}`);
  return result.left;
};

/**
 * A port's call does its work when its task runs, not when it is created: a use case may build a task and drop it
 * (a Left earlier in its pipeline), and nothing may then have happened. Waits a little before running the task, so
 * that work started on creation has time to show in `effects`.
 */
export const expectNothingUntilRun = async (
  task: () => Promise<E.Either<unknown, unknown>>,
  effects: () => Promise<ReadonlyArray<unknown>>,
): Promise<void> => {
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(await effects()).toHaveLength(0);
  assertRight(await task());
  expect(await effects()).not.toHaveLength(0);
};
