import { makeInMemoryStorage } from '@paraphe/adapters';
import type { Logger, OutboxMessage, Storage } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { withDomainErrors } from '../support/use-case-storage.js';
import { makeDeliveredMarks } from './delivered-marks.js';

const T0 = new Date('2026-03-02T09:00:00.000Z');
const DELIVERED_AT = new Date('2026-03-02T09:00:05.000Z');

const notice = (id: string): OutboxMessage => ({
  kind: 'notification',
  id,
  notification: {
    id,
    tenantId: 'tenant-a',
    procedureId: 'p-1',
    quoteId: 'q-1',
    type: 'opened',
    status: 'opened',
    at: T0,
  },
});

/** An in-memory storage holding `ids` as claimed messages, counting its units of work; and a logger that keeps errors. */
const setUp = async (ids: ReadonlyArray<string>) => {
  const inner = makeInMemoryStorage();
  await inner.unitOfWork((session) => session.outbox.enqueue(ids.map(notice), T0))();
  await inner.unitOfWork((session) => session.outbox.claimDue(T0, ids.length))();
  const seen = { unitsOfWork: 0 };
  const counted: Storage = {
    unitOfWork: (work) => {
      const run = inner.unitOfWork(work);
      return () => {
        seen.unitsOfWork++;
        return run();
      };
    },
  };
  const errors: Array<Readonly<Record<string, unknown>>> = [];
  const logger: Logger = {
    info: () => undefined,
    warn: () => undefined,
    error: (fields) => {
      errors.push(fields);
    },
  };
  const statuses = async () => {
    const listed = await inner.unitOfWork((session) => session.outbox.list())();
    if (E.isLeft(listed)) throw new Error(listed.left.reason);
    return Object.fromEntries(listed.right.map((r) => [r.message.id, [r.status, r.attempts]]));
  };
  return { marks: makeDeliveredMarks(withDomainErrors(counted), logger), seen, errors, statuses };
};

afterEach(() => {
  vi.useRealTimers();
});

describe('delivered marks', () => {
  it('writes the marks noted meanwhile in one unit of work, each at its delivery time, and flush waits for them', async () => {
    const { marks, seen, statuses } = await setUp(['m-1', 'm-2', 'm-3']);
    for (const id of ['m-1', 'm-2', 'm-3']) marks.note(id, DELIVERED_AT);
    expect(seen.unitsOfWork).toBe(0);
    await marks.flush();
    expect(seen.unitsOfWork).toBe(1);
    expect(await statuses()).toEqual({
      'm-1': ['delivered', 1],
      'm-2': ['delivered', 1],
      'm-3': ['delivered', 1],
    });
    await marks.flush();
    expect(seen.unitsOfWork).toBe(1);
  });

  it('writes them by itself a few milliseconds after the first, or at once when a hundred wait', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const ids = Array.from({ length: 101 }, (_, i) => `m-${i}`);
    const { marks, seen, statuses } = await setUp(ids);
    marks.note('m-0', DELIVERED_AT);
    await vi.advanceTimersByTimeAsync(19);
    expect(seen.unitsOfWork).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(seen.unitsOfWork).toBe(1);
    expect((await statuses())['m-0']).toEqual(['delivered', 1]);

    for (const id of ids.slice(1, 100)) marks.note(id, DELIVERED_AT);
    expect(seen.unitsOfWork).toBe(1);
    marks.note('m-100', DELIVERED_AT);
    await vi.waitFor(() => expect(seen.unitsOfWork).toBe(2));
    expect(Object.values(await statuses()).every(([status]) => status === 'delivered')).toBe(true);
  });

  it('writes each alone when one is refused, so that the others are kept, and logs the refused one without failing', async () => {
    const { marks, errors, statuses } = await setUp(['m-1', 'm-2']);
    marks.note('m-1', DELIVERED_AT);
    marks.note('unknown', DELIVERED_AT);
    marks.note('m-2', DELIVERED_AT);
    await marks.flush();
    expect(await statuses()).toEqual({ 'm-1': ['delivered', 1], 'm-2': ['delivered', 1] });
    expect(errors).toEqual([{ messageId: 'unknown', code: 'STORAGE_FAILURE' }]);
  });

  it('resolves flush only once marks noted before it are written, even those a write already in progress took', async () => {
    const { marks, statuses } = await setUp(['m-1', 'm-2']);
    marks.note('m-1', DELIVERED_AT);
    const first = marks.flush();
    marks.note('m-2', DELIVERED_AT);
    await marks.flush();
    expect(await statuses()).toEqual({ 'm-1': ['delivered', 1], 'm-2': ['delivered', 1] });
    await first;
  });
});
