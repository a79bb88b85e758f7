import { makeInMemoryStorage } from '@paraphe/adapters';
import { storageUnavailable } from '@paraphe/domain';
import { describe, expect, it } from 'vitest';
import { makeFaultyStorage } from '../test-support/faulty-storage.js';
import { right } from '../test-support/harness.js';
import { DAY, MINUTE, readyHarness, send } from '../test-support/story.js';

describe('system.health', () => {
  it('reports how long the oldest due message and the oldest unswept deadline have waited', async () => {
    const h = await readyHarness({ dispatch: 'manual' });
    expect(await right(h.paraphe.system.health())).toEqual({
      storage: 'ok',
      oldestDueMessageAgeMs: 0,
      oldestOverdueExpiryAgeMs: 0,
    });
    await send(h, 'q1');
    h.clock.advanceBy(MINUTE);
    expect(await right(h.paraphe.system.health())).toMatchObject({ oldestDueMessageAgeMs: MINUTE });
    await right(h.paraphe.system.dispatchOutbox());
    expect(await right(h.paraphe.system.health())).toMatchObject({ oldestDueMessageAgeMs: 0 });
    h.clock.advanceBy(15 * DAY);
    const overdue = await right(h.paraphe.system.health());
    expect(overdue.oldestOverdueExpiryAgeMs).toBeGreaterThan(0);
    await right(h.paraphe.system.runPeriodicJobs());
    expect(await right(h.paraphe.system.health())).toMatchObject({ oldestOverdueExpiryAgeMs: 0 });
  });

  it('reports a storage that does not answer instead of failing', async () => {
    const storage = makeFaultyStorage(makeInMemoryStorage());
    const h = await readyHarness({ storage });
    storage.setFault(() => storageUnavailable('connection refused'));
    expect(await right(h.paraphe.system.health())).toEqual({
      storage: 'unreachable',
      storageError: 'STORAGE_FAILURE',
      oldestDueMessageAgeMs: 0,
      oldestOverdueExpiryAgeMs: 0,
    });
  });
});
