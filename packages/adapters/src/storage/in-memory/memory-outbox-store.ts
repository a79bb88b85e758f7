import type { OutboxMessage, OutboxRecord, OutboxStore } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import * as O from 'fp-ts/lib/Option.js';
import { storableAttemptFailure, storableDelivery, storableEnqueue } from '../records/outbox-codec.js';
import { storageFailure } from '../storage-failure.js';
import {
  type Draft,
  memoryStep,
  type StoredOutboxRecord,
  sequenceTie,
  type TimeKey,
} from './in-memory-state.js';

const pendingKey = (stored: StoredOutboxRecord): TimeKey => ({
  at: stored.record.nextAttemptAt.getTime(),
  tie: sequenceTie(stored.sequence),
  id: stored.record.message.id,
});

/** Replaces a record, keeping the pending index in step with its status and next attempt. */
const replace = (draft: Draft, before: StoredOutboxRecord, record: OutboxRecord): StoredOutboxRecord => {
  const after = { ...before, record };
  if (before.record.status === 'pending') draft.removeSorted('pendingOutbox', pendingKey(before));
  if (record.status === 'pending') draft.insertSorted('pendingOutbox', pendingKey(after));
  draft.own('outbox').set(record.message.id, after);
  return after;
};

export const makeMemoryOutboxStore = (draft: Draft, claimLeaseMs: number): OutboxStore => {
  const find = (id: string) => {
    const stored = draft.state.outbox.get(id);
    return stored === undefined ? E.left(storageFailure('unknown outbox message')) : E.right(stored);
  };
  /** Adds a message not yet present, first due at `nextAttemptAt`. */
  const add = (message: OutboxMessage, now: Date, nextAttemptAt: Date): OutboxRecord => {
    const stored: StoredOutboxRecord = {
      record: { message, status: 'pending', attempts: 0, nextAttemptAt, createdAt: now },
      sequence: draft.takeSequence(),
    };
    draft.own('outbox').set(message.id, stored);
    draft.insertSorted('pendingOutbox', pendingKey(stored));
    return stored.record;
  };
  return {
    // Messages the SQL stores could not read back are refused here too (storable(), record-check.ts).
    enqueue: (messages, now) =>
      memoryStep(() => {
        const storable = storableEnqueue(messages, now);
        if (E.isLeft(storable)) return storable;
        for (const message of messages) if (!draft.state.outbox.has(message.id)) add(message, now, now);
        return E.right(undefined);
      }),
    enqueueClaimed: (message, now) =>
      memoryStep(() => {
        const storable = storableEnqueue([message], now);
        if (E.isLeft(storable)) return storable;
        if (draft.state.outbox.has(message.id)) return E.right(O.none);
        return E.right(O.some(add(message, now, new Date(now.getTime() + claimLeaseMs))));
      }),
    // A claim moves the next attempt to the end of a lease: other claimers skip the message until then,
    // and a dispatcher that crashed mid-delivery gives it back when the lease lapses.
    claimDue: (now, limit) =>
      memoryStep(() => {
        const due = draft.state.pendingOutbox.slice(0, limit);
        const claimed: StoredOutboxRecord[] = [];
        for (const key of due) {
          if (key.at > now.getTime()) break;
          const stored = draft.state.outbox.get(key.id);
          if (stored === undefined) continue;
          const leased = { ...stored.record, nextAttemptAt: new Date(now.getTime() + claimLeaseMs) };
          claimed.push(replace(draft, stored, leased));
        }
        // The earliest due are claimed; they come back oldest (first enqueued) first.
        const records = claimed.sort((a, b) => a.sequence - b.sequence).map((stored) => stored.record);
        return E.right({ records, unreadable: [] });
      }),
    claimByIds: (ids, now) =>
      memoryStep(() => {
        const claimed: StoredOutboxRecord[] = [];
        for (const id of new Set(ids)) {
          const stored = draft.state.outbox.get(id);
          const record = stored?.record;
          if (stored === undefined || record?.status !== 'pending') continue;
          if (record.nextAttemptAt.getTime() > now.getTime()) continue;
          claimed.push(
            replace(draft, stored, { ...record, nextAttemptAt: new Date(now.getTime() + claimLeaseMs) }),
          );
        }
        const records = claimed.sort((a, b) => a.sequence - b.sequence).map((stored) => stored.record);
        return E.right({ records, unreadable: [] });
      }),
    oldestDue: (now) =>
      memoryStep(() => {
        const first = draft.state.pendingOutbox[0];
        return E.right(first === undefined || first.at > now.getTime() ? O.none : O.some(new Date(first.at)));
      }),
    markDelivered: (id, now) =>
      memoryStep(() => {
        const storable = storableDelivery(now);
        if (E.isLeft(storable)) return storable;
        const found = find(id);
        if (E.isLeft(found)) return found;
        const { record } = found.right;
        if (record.status !== 'delivered')
          replace(draft, found.right, { ...record, status: 'delivered', attempts: record.attempts + 1 });
        return E.right(undefined);
      }),
    markAttemptFailed: (id, error, nextAttemptAt) =>
      memoryStep(() => {
        const storable = storableAttemptFailure(error, nextAttemptAt);
        if (E.isLeft(storable)) return storable;
        const found = find(id);
        if (E.isLeft(found)) return found;
        const { record } = found.right;
        // A late failure report never undoes a delivery that was already recorded.
        if (record.status === 'delivered') return E.right(undefined);
        const attempts = record.attempts + 1;
        replace(
          draft,
          found.right,
          nextAttemptAt === undefined
            ? { ...record, status: 'failed', attempts, lastError: error }
            : { ...record, status: 'pending', attempts, lastError: error, nextAttemptAt },
        );
        return E.right(undefined);
      }),
    list: () =>
      memoryStep(() =>
        E.right(
          [...draft.state.outbox.values()]
            .sort(
              (a, b) =>
                a.record.createdAt.getTime() - b.record.createdAt.getTime() || a.sequence - b.sequence,
            )
            .map((stored) => stored.record),
        ),
      ),
  };
};
