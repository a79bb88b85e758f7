import type { OutboxRecord, RecordBatch } from '@paraphe/domain';
import * as O from 'fp-ts/lib/Option.js';
import { expect, it } from 'vitest';
import type { StorageUnderTest } from '../storage.contract.js';
import { DEFAULT_CLAIM_LEASE_MS } from '../storage-rules.js';
import { emailMessage, followUpMessage, notificationMessage } from '../test-support/outbox-fixtures.js';
import { at, minutes, T0 } from '../test-support/procedure-fixtures.js';
import { assertLeftTag, run, runRight } from '../test-support/run-work.js';

const messageIds = (records: ReadonlyArray<OutboxRecord> | RecordBatch<OutboxRecord>) => {
  if (!('records' in records)) return records.map((r) => r.message.id);
  // Nothing written through the port can be unreadable.
  expect(records.unreadable).toStrictEqual([]);
  return records.records.map((r) => r.message.id);
};
const nothing: RecordBatch<never> = { records: [], unreadable: [] };

export const outboxContract = (storage: StorageUnderTest): void => {
  it('enqueues every kind of message as pending and brings it back exactly, oldest first', async () => {
    const messages = [emailMessage('m-1'), emailMessage('m-2', true), followUpMessage('m-3')];
    await runRight(storage(), (s) => s.outbox.enqueue(messages, T0));
    await runRight(storage(), (s) => s.outbox.enqueue([notificationMessage('m-4')], at(T0, 1000)));
    const records = await runRight(storage(), (s) => s.outbox.list());
    expect(records).toStrictEqual([
      ...messages.map((message) => ({
        message,
        status: 'pending',
        attempts: 0,
        nextAttemptAt: T0,
        createdAt: T0,
      })),
      {
        message: notificationMessage('m-4'),
        status: 'pending',
        attempts: 0,
        nextAttemptAt: at(T0, 1000),
        createdAt: at(T0, 1000),
      },
    ]);
  });

  it('ignores a message id already present (idempotent enqueue)', async () => {
    await runRight(storage(), (s) => s.outbox.enqueue([emailMessage('m-1')], T0));
    await runRight(storage(), (s) =>
      s.outbox.enqueue([emailMessage('m-1', true), emailMessage('m-2')], at(T0, 5)),
    );
    await runRight(storage(), (s) =>
      s.outbox.enqueue([emailMessage('m-3'), emailMessage('m-3', true)], at(T0, 9)),
    );
    const records = await runRight(storage(), (s) => s.outbox.list());
    expect(messageIds(records)).toStrictEqual(['m-1', 'm-2', 'm-3']);
    expect(records[0]?.message).toStrictEqual(emailMessage('m-1'));
    expect(records[2]?.message).toStrictEqual(emailMessage('m-3'));
  });

  it('claims pending messages due by now, oldest first, up to the limit, each once until its lease lapses', async () => {
    await runRight(storage(), (s) => s.outbox.enqueue([emailMessage('m-1'), emailMessage('m-2')], T0));
    await runRight(storage(), (s) => s.outbox.enqueue([emailMessage('m-3')], at(T0, minutes(1))));
    await runRight(storage(), (s) => s.outbox.enqueue([emailMessage('future')], at(T0, minutes(10))));
    const now = at(T0, minutes(1));
    const first = await runRight(storage(), (s) => s.outbox.claimDue(now, 2));
    expect(messageIds(first)).toStrictEqual(['m-1', 'm-2']);
    expect(first.records[0]?.attempts).toBe(0);
    expect(messageIds(await runRight(storage(), (s) => s.outbox.claimDue(now, 10)))).toStrictEqual(['m-3']);
    expect(await runRight(storage(), (s) => s.outbox.claimDue(now, 10))).toStrictEqual(nothing);
    const afterLease = at(now, DEFAULT_CLAIM_LEASE_MS);
    expect(messageIds(await runRight(storage(), (s) => s.outbox.claimDue(afterLease, 10)))).toStrictEqual([
      'm-1',
      'm-2',
      'm-3',
    ]);
  });

  it('claims by id only the given messages that are pending and due, each once until its lease lapses', async () => {
    await runRight(storage(), (s) =>
      s.outbox.enqueue([emailMessage('mine-1'), emailMessage('theirs'), emailMessage('mine-2')], T0),
    );
    await runRight(storage(), (s) => s.outbox.enqueue([emailMessage('mine-later')], at(T0, minutes(10))));
    await runRight(storage(), (s) => s.outbox.enqueue([emailMessage('delivered')], T0));
    await runRight(storage(), (s) => s.outbox.markDelivered('delivered', T0));
    const now = at(T0, minutes(1));
    const ids = ['mine-2', 'mine-1', 'mine-later', 'delivered', 'unknown', 'mine-1'];
    expect(messageIds(await runRight(storage(), (s) => s.outbox.claimByIds(ids, now)))).toStrictEqual([
      'mine-1',
      'mine-2',
    ]);
    expect(await runRight(storage(), (s) => s.outbox.claimByIds(ids, now))).toStrictEqual(nothing);
    expect(await runRight(storage(), (s) => s.outbox.claimByIds([], now))).toStrictEqual(nothing);
    // Another request's message is still there for the worker.
    expect(messageIds(await runRight(storage(), (s) => s.outbox.claimDue(now, 10)))).toStrictEqual([
      'theirs',
    ]);
    const afterLease = at(now, DEFAULT_CLAIM_LEASE_MS);
    expect(
      messageIds(await runRight(storage(), (s) => s.outbox.claimByIds(['mine-1'], afterLease))),
    ).toStrictEqual(['mine-1']);
  });

  it('enqueues a message claimed: the record a claim right after enqueue gives, then no one claims it until its lease lapses', async () => {
    await runRight(storage(), (s) => s.outbox.enqueue([emailMessage('before')], T0));
    const now = at(T0, minutes(1));
    const claimed = await runRight(storage(), (s) =>
      s.outbox.enqueueClaimed(notificationMessage('mine'), now),
    );
    const leasedUntil = at(now, DEFAULT_CLAIM_LEASE_MS);
    const expected: OutboxRecord = {
      message: notificationMessage('mine'),
      status: 'pending',
      attempts: 0,
      nextAttemptAt: leasedUntil,
      createdAt: now,
    };
    expect(claimed).toStrictEqual(O.some(expected));
    expect((await runRight(storage(), (s) => s.outbox.list()))[1]).toStrictEqual(expected);
    expect(messageIds(await runRight(storage(), (s) => s.outbox.claimDue(now, 10)))).toStrictEqual([
      'before',
    ]);
    expect(
      await runRight(storage(), (s) => s.outbox.claimByIds(['mine'], at(leasedUntil, -1))),
    ).toStrictEqual(nothing);
    // Its lease lapses like any claim's (`before` was claimed at the same time).
    expect(messageIds(await runRight(storage(), (s) => s.outbox.claimDue(leasedUntil, 10)))).toStrictEqual([
      'before',
      'mine',
    ]);
  });

  it('enqueues claimed nothing when the id is already present: that message is left as it is', async () => {
    await runRight(storage(), (s) => s.outbox.enqueue([emailMessage('m-1')], T0));
    const before = await runRight(storage(), (s) => s.outbox.list());
    expect(
      await runRight(storage(), (s) => s.outbox.enqueueClaimed(emailMessage('m-1', true), at(T0, 5))),
    ).toStrictEqual(O.none);
    expect(await runRight(storage(), (s) => s.outbox.list())).toStrictEqual(before);
    expect(messageIds(await runRight(storage(), (s) => s.outbox.claimDue(at(T0, 5), 10)))).toStrictEqual([
      'm-1',
    ]);
  });

  it('tells when the longest-waiting pending message became due; none when nothing is due', async () => {
    expect(await runRight(storage(), (s) => s.outbox.oldestDue(T0))).toStrictEqual(O.none);
    await runRight(storage(), (s) => s.outbox.enqueue([emailMessage('m-1')], at(T0, minutes(2))));
    await runRight(storage(), (s) => s.outbox.enqueue([emailMessage('m-2')], at(T0, minutes(5))));
    await runRight(storage(), (s) => s.outbox.enqueue([emailMessage('done')], T0));
    await runRight(storage(), (s) => s.outbox.markDelivered('done', T0));
    expect(await runRight(storage(), (s) => s.outbox.oldestDue(at(T0, minutes(1))))).toStrictEqual(O.none);
    expect(await runRight(storage(), (s) => s.outbox.oldestDue(at(T0, minutes(10))))).toStrictEqual(
      O.some(at(T0, minutes(2))),
    );
  });

  it('marks a delivery: counted, never claimed again', async () => {
    await runRight(storage(), (s) => s.outbox.enqueue([emailMessage('m-1')], T0));
    await runRight(storage(), (s) => s.outbox.claimDue(T0, 10));
    await runRight(storage(), (s) => s.outbox.markDelivered('m-1', at(T0, 500)));
    const [record] = await runRight(storage(), (s) => s.outbox.list());
    expect(record).toMatchObject({ status: 'delivered', attempts: 1 });
    expect(await runRight(storage(), (s) => s.outbox.claimDue(at(T0, minutes(60)), 10))).toStrictEqual(
      nothing,
    );
    // A late failure report does not undo the delivery.
    await runRight(storage(), (s) => s.outbox.markAttemptFailed('m-1', 'timeout', at(T0, minutes(1))));
    expect((await runRight(storage(), (s) => s.outbox.list()))[0]).toMatchObject({ status: 'delivered' });
  });

  it('records a failed attempt with its retry time, then gives up when no retry time is given', async () => {
    await runRight(storage(), (s) => s.outbox.enqueue([emailMessage('m-1')], T0));
    await runRight(storage(), (s) => s.outbox.claimDue(T0, 10));
    const retryAt = at(T0, minutes(2));
    await runRight(storage(), (s) => s.outbox.markAttemptFailed('m-1', '421 try later', retryAt));
    expect(await runRight(storage(), (s) => s.outbox.list())).toStrictEqual([
      {
        message: emailMessage('m-1'),
        status: 'pending',
        attempts: 1,
        nextAttemptAt: retryAt,
        createdAt: T0,
        lastError: '421 try later',
      },
    ]);
    expect(await runRight(storage(), (s) => s.outbox.claimDue(at(retryAt, -1), 10))).toStrictEqual(nothing);
    expect(messageIds(await runRight(storage(), (s) => s.outbox.claimDue(retryAt, 10)))).toStrictEqual([
      'm-1',
    ]);
    await runRight(storage(), (s) => s.outbox.markAttemptFailed('m-1', '550 no such user', undefined));
    expect((await runRight(storage(), (s) => s.outbox.list()))[0]).toMatchObject({
      status: 'failed',
      attempts: 2,
      lastError: '550 no such user',
    });
    expect(await runRight(storage(), (s) => s.outbox.claimDue(at(T0, minutes(600)), 10))).toStrictEqual(
      nothing,
    );
  });

  it('reports an unknown message id as a storage failure', async () => {
    assertLeftTag(await run(storage(), (s) => s.outbox.markDelivered('nope', T0)), 'StorageBroken');
    assertLeftTag(
      await run(storage(), (s) => s.outbox.markAttemptFailed('nope', 'x', undefined)),
      'StorageBroken',
    );
  });
};
