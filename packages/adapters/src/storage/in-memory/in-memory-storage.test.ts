import type { StorageSession } from '@paraphe/domain';
import { pipe } from 'fp-ts/lib/function.js';
import * as O from 'fp-ts/lib/Option.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { describe, expect, it } from 'vitest';
import { describeStorageContract } from '../storage.contract.js';
import { activeSettings } from '../test-support/procedure-fixtures.js';
import { assertLeftTag, run, runRight } from '../test-support/run-work.js';
import { makeInMemoryStorage } from './in-memory-storage.js';

describeStorageContract('in-memory', async () => ({
  storage: makeInMemoryStorage(),
  close: async () => undefined,
}));

describe('in-memory storage', () => {
  it('runs units of work one at a time: the second starts after the first ends', async () => {
    const storage = makeInMemoryStorage();
    const log: string[] = [];
    const step = (label: string) => TE.fromTask(async () => void log.push(label));
    const slow = run(storage, () =>
      pipe(
        step('first:start'),
        TE.chain(() => TE.fromTask(() => new Promise<void>((resolve) => setTimeout(resolve, 20)))),
        TE.chain(() => step('first:end')),
      ),
    );
    const fast = run(storage, () => step('second'));
    await Promise.all([slow, fast]);
    expect(log).toStrictEqual(['first:start', 'first:end', 'second']);
  });

  it('refuses a session used after its unit of work ended', async () => {
    const storage = makeInMemoryStorage();
    let leaked: StorageSession | undefined;
    await runRight(storage, (s) => {
      leaked = s;
      return TE.right(undefined);
    });
    const late = await leaked!.tenants.getSettings('tenant-a')();
    assertLeftTag(late, 'StorageBroken');
  });

  it('still serves units of work after one threw', async () => {
    const storage = makeInMemoryStorage();
    await run(storage, () => {
      throw new Error('bug');
    });
    await runRight(storage, (s) => s.tenants.saveSettings('tenant-a', activeSettings()));
    expect(O.isSome(await runRight(storage, (s) => s.tenants.getSettings('tenant-a')))).toBe(true);
  });
});
