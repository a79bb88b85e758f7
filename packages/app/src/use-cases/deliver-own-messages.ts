import { performance } from 'node:perf_hooks';
import type { OutboxRecord } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import {
  newRequestRecord,
  type Receiver,
  type RequestRecord,
  recordingInto,
} from '../support/produced-messages.js';
import { makeDeliverRecord } from './deliver-outbox-record.js';
import type { UseCaseDependencies } from './dependencies.js';

/** Resolves after `ms`, without keeping the process alive for it. */
const elapsed = (ms: number): Promise<'elapsed'> =>
  new Promise((resolve) => setTimeout(() => resolve('elapsed'), Math.max(0, ms)).unref());

/** A request's own delivery: the record its call writes into, then the delivery of what that record holds. */
export interface OwnDelivery {
  /** A record for a call about to run; with `budgetMs` > 0 its next message is claimed as it is queued. */
  readonly open: (budgetMs: number) => RequestRecord;
  /**
   * Delivers the record's messages within `budgetMs`; with `claimedOnly` (a call that failed after some of its units
   * of work committed) only those already claimed for it, which must not wait out their lease.
   */
  readonly deliver: (record: RequestRecord, budgetMs: number, claimedOnly?: boolean) => Promise<void>;
}

/**
 * Delivers, within `budgetMs` of real time, the messages a request produced (its record, which grows as deliveries
 * queue more: an accepted invitation tells the CRM), one at a time. The next message is claimed by the very unit of
 * work that queued it (produced-messages.ts), so its delivery starts without a claim of its own; a message claimed
 * is always started, even once the budget ran out, so that it never waits out a lease. Whatever the budget leaves is
 * unclaimed and the worker's at once. A delivery still running when the budget ends goes on in the background and
 * records its outcome itself; the request answers without it. Nothing here fails the request: a problem leaves the
 * message to the worker. Other requests' and other tenants' messages are never touched.
 *
 * A receiver that kept a delivery past a request's budget is not waited on again until that delivery has settled
 * (delivered, or failed at the adapter's own timeout): meanwhile requests neither claim nor deliver its messages, and
 * answer at once. A hung receiver so costs one request the budget each time the adapter gives up on it, not every
 * request; one that answers again is waited on again from its next delivery.
 */
export const makeDeliverOwnMessages = (deps: UseCaseDependencies): OwnDelivery => {
  /**
   * Deliveries on behalf of this record: what their bookkeeping queues goes to it (an accepted invitation tells the
   * CRM), and an invitation's procedure is the one the request just committed, not read again.
   */
  const deliveringFor = (record: RequestRecord) =>
    makeDeliverRecord({ ...deps, storage: recordingInto(deps.storage, record) }, (procedureId) =>
      record.procedures.get(procedureId),
    );
  const overrunning = new Map<Receiver, number>();
  const stalled = (receiver: Receiver) => (overrunning.get(receiver) ?? 0) > 0;
  const overran = (receiver: Receiver, delivery: Promise<unknown>) => {
    overrunning.set(receiver, (overrunning.get(receiver) ?? 0) + 1);
    const settled = () => overrunning.set(receiver, (overrunning.get(receiver) ?? 1) - 1);
    delivery.then(settled, settled);
  };

  /** Claims one message for this request: a unit of work, for a message queued when it was not the next. */
  const claim = async (id: string): Promise<ReadonlyArray<OutboxRecord> | undefined> => {
    const claimed = await deps.storage.unitOfWork((session) =>
      session.outbox.claimByIds([id], deps.clock.now()),
    )();
    return E.isLeft(claimed) ? undefined : claimed.right.records;
  };

  /**
   * Starts, without waiting, what was claimed for the record after its delivery ended: the bookkeeping of a delivery
   * that overran may have claimed the message it queued just before the record closed.
   */
  const startLeftovers = (record: RequestRecord, deliver: ReturnType<typeof deliveringFor>) => {
    for (; record.taken < record.messages.length; record.taken++) {
      const claimed = record.messages[record.taken]!.claimed;
      if (claimed !== undefined) void deliver(claimed)();
    }
  };

  const deliverWithin = async (record: RequestRecord, budgetMs: number, claimedOnly: boolean) => {
    if (record.messages.length === 0) return;
    const deliver = deliveringFor(record);
    const end = performance.now() + budgetMs;
    record.claimAhead = (receiver) => performance.now() < end && !stalled(receiver);
    try {
      while (record.taken < record.messages.length) {
        const { id, kind, claimed } = record.messages[record.taken]!;
        if (claimed === undefined) {
          if (end - performance.now() <= 0) return;
          if (claimedOnly || stalled(kind)) {
            record.taken++;
            continue;
          }
        }
        record.taken++;
        const records = claimed === undefined ? await claim(id) : [claimed];
        if (records === undefined) return;
        for (const own of records) {
          // Claimed, so started even when the budget is spent: it must not wait out a lease.
          const delivery = deliver(own)();
          if ((await Promise.race([delivery, elapsed(end - performance.now())])) === 'elapsed') {
            overran(kind, delivery);
            const leftovers = () => startLeftovers(record, deliver);
            delivery.then(leftovers, leftovers);
            return;
          }
        }
      }
    } finally {
      record.claimAhead = undefined;
    }
  };

  return {
    open: (budgetMs) =>
      newRequestRecord(budgetMs > 0 ? (receiver: Receiver) => !stalled(receiver) : undefined),
    deliver: (record, budgetMs, claimedOnly = false) => deliverWithin(record, budgetMs, claimedOnly),
  };
};
