import { performance } from 'node:perf_hooks';
import * as E from 'fp-ts/lib/Either.js';
import { makeDeliverRecord } from './deliver-outbox-record.js';
import type { UseCaseDependencies } from './dependencies.js';

/** Resolves after `ms`, without keeping the process alive for it. */
const elapsed = (ms: number): Promise<'elapsed'> =>
  new Promise((resolve) => setTimeout(() => resolve('elapsed'), ms).unref());

/**
 * Delivers, within `budgetMs` of real time, the messages a request produced (`produced`, which grows as deliveries
 * queue more: an accepted invitation tells the CRM), one claimed at a time, so that whatever the budget leaves is
 * unclaimed and the worker's at once. A delivery still running when the budget ends goes on in the background and
 * records its outcome itself; the request answers without it. Nothing here fails the request: a problem leaves the
 * message to the worker. Other requests' and other tenants' messages are never touched.
 */
export const makeDeliverOwnMessages = (deps: UseCaseDependencies) => {
  const deliver = makeDeliverRecord(deps);
  return async (produced: ReadonlyArray<string>, budgetMs: number): Promise<void> => {
    const end = performance.now() + budgetMs;
    for (let next = 0; next < produced.length; next++) {
      const remaining = end - performance.now();
      if (remaining <= 0) return;
      const id = produced[next]!;
      const claimed = await deps.storage.unitOfWork((session) =>
        session.outbox.claimByIds([id], deps.clock.now()),
      )();
      if (E.isLeft(claimed)) return;
      for (const record of claimed.right.records) {
        const left = end - performance.now();
        if (left <= 0 || (await Promise.race([deliver(record)(), elapsed(left)])) === 'elapsed') return;
      }
    }
  };
};
