import { makeInMemoryStorage } from '@paraphe/adapters';
import { makeSqliteStorage } from '@paraphe/adapters/sqlite';
import type { Storage } from '@paraphe/domain';
import { describe, expect, it } from 'vitest';
import { readyHarness, send } from '../test-support/story.js';

/** Runs every unit of work from a loop of its own, as SQLite's group commit runs a group from its first caller's. */
const runningElsewhere = (storage: Storage): Storage => {
  const queue: Array<() => Promise<void>> = [];
  let wake: () => void = () => undefined;
  const loop = async () => {
    for (;;) {
      for (let job = queue.shift(); job !== undefined; job = queue.shift()) await job();
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  };
  // Started here, outside any request: the units of work run in this context, not their callers'.
  void loop();
  return {
    ...storage,
    unitOfWork: (work) => () =>
      new Promise((resolve) => {
        queue.push(async () => resolve(await storage.unitOfWork(work)()));
        wake();
      }),
  };
};

const quoteIds = (n: number) => Array.from({ length: n }, (_, i) => `q${i + 1}`);

describe('the messages a request produced', () => {
  it('are its own even when the storage runs its units of work from another context', async () => {
    const h = await readyHarness({ storage: runningElsewhere(makeInMemoryStorage()) });
    const views = await Promise.all(quoteIds(3).map((id) => send(h, id)));
    expect(views.map((v) => v.status)).toEqual(['sent', 'sent', 'sent']);
    expect(h.mailer.sent.map((m) => m.kind)).toEqual(['invitation', 'invitation', 'invitation']);
  });

  it('are its own under SQLite group commit: simultaneous sends each deliver their own invitation', async () => {
    const storage = makeSqliteStorage({ filename: ':memory:' });
    try {
      const h = await readyHarness({ storage, credits: 8, quotes: 8 });
      const views = await Promise.all(quoteIds(8).map((id) => send(h, id)));
      expect(views.map((v) => v.status)).toEqual(quoteIds(8).map(() => 'sent'));
    } finally {
      await storage.close();
    }
  });
});
