import { performance } from 'node:perf_hooks';
import type { OutboxMessage } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import type { ProducedMessage } from '../support/produced-messages.js';
import { makeDeliverRecord } from './deliver-outbox-record.js';
import type { UseCaseDependencies } from './dependencies.js';

/** Resolves after `ms`, without keeping the process alive for it. */
const elapsed = (ms: number): Promise<'elapsed'> =>
  new Promise((resolve) => setTimeout(() => resolve('elapsed'), Math.max(0, ms)).unref());

/** The receiver a message goes to: the mail server, the CRM's notifications (webhook), the CRM's follow-ups. */
type Receiver = OutboxMessage['kind'];

/**
 * Delivers, within `budgetMs` of real time, the messages a request produced (`produced`, which grows as deliveries
 * queue more: an accepted invitation tells the CRM), one claimed at a time, so that whatever the budget leaves is
 * unclaimed and the worker's at once. A delivery still running when the budget ends goes on in the background and
 * records its outcome itself; the request answers without it. Nothing here fails the request: a problem leaves the
 * message to the worker. Other requests' and other tenants' messages are never touched.
 *
 * A receiver that kept a delivery past a request's budget is not waited on again until that delivery has settled
 * (delivered, or failed at the adapter's own timeout): meanwhile requests leave its messages unclaimed for the worker
 * and answer at once. A hung receiver so costs one request the budget each time the adapter gives up on it, not every
 * request; one that answers again is waited on again from its next delivery.
 */
export const makeDeliverOwnMessages = (deps: UseCaseDependencies) => {
  const deliver = makeDeliverRecord(deps);
  const overrunning = new Map<Receiver, number>();
  const stalled = (receiver: Receiver) => (overrunning.get(receiver) ?? 0) > 0;
  const overran = (receiver: Receiver, delivery: Promise<unknown>) => {
    overrunning.set(receiver, (overrunning.get(receiver) ?? 0) + 1);
    const settled = () => overrunning.set(receiver, (overrunning.get(receiver) ?? 1) - 1);
    delivery.then(settled, settled);
  };

  return async (produced: ReadonlyArray<ProducedMessage>, budgetMs: number): Promise<void> => {
    const end = performance.now() + budgetMs;
    for (let next = 0; next < produced.length; next++) {
      if (end - performance.now() <= 0) return;
      const { id, kind } = produced[next]!;
      if (stalled(kind)) continue;
      const claimed = await deps.storage.unitOfWork((session) =>
        session.outbox.claimByIds([id], deps.clock.now()),
      )();
      if (E.isLeft(claimed)) return;
      for (const record of claimed.right.records) {
        // Claimed, so started even when the claim itself used up the budget: it must not wait out a lease.
        const delivery = deliver(record)();
        if ((await Promise.race([delivery, elapsed(end - performance.now())])) === 'elapsed') {
          overran(kind, delivery);
          return;
        }
      }
    }
  };
};
