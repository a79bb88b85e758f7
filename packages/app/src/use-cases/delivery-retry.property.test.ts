import {
  type DeliveryError,
  deliveryError,
  type LifecycleNotification,
  type LifecycleNotifier,
} from '@paraphe/domain';
import fc from 'fast-check';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../composition/config.js';
import { right, seller } from '../test-support/harness.js';
import { readyHarness, send } from '../test-support/story.js';

type Outcome = 'delivered' | 'failed for now' | 'refused for good';

const HOUR = 3_600_000;
const { maxAttempts, maxDelayMs } = defaultConfig.delivery;

/** Outcomes of successive attempts; failures for now weigh more, so that the attempt cap is reached too. */
const outcomes = fc.array(
  fc.oneof(
    { arbitrary: fc.constant<Outcome>('failed for now'), weight: 4 },
    { arbitrary: fc.constant<Outcome>('refused for good'), weight: 1 },
    { arbitrary: fc.constant<Outcome>('delivered'), weight: 1 },
  ),
  { maxLength: maxAttempts + 2 },
);

const failureOf = (outcome: Outcome): DeliveryError | undefined =>
  outcome === 'delivered' ? undefined : deliveryError(outcome === 'failed for now', 'SCRIPTED');

/**
 * What the policy promises for a script (attempts past its end succeed): attempts stop at the first delivery or
 * refusal for good, or at the cap; only a delivery ends delivered.
 */
const expected = (script: ReadonlyArray<Outcome>) => {
  const at = (i: number): Outcome => script[i] ?? 'delivered';
  let attempts = 1;
  while (at(attempts - 1) === 'failed for now' && attempts < maxAttempts) attempts++;
  return { attempts, status: at(attempts - 1) === 'delivered' ? 'delivered' : 'failed' };
};

/** The worker's later runs: each one past the longest backoff, more of them than the cap. */
const runTheWorkerLong = async (h: Awaited<ReturnType<typeof readyHarness>>) => {
  for (let i = 0; i < maxAttempts + 2; i++) {
    h.clock.advanceBy(Math.max(maxDelayMs, HOUR) + 1000);
    await right(h.paraphe.system.dispatchOutbox());
  }
};

describe('delivery retries, for any sequence of outcomes (issue #15: permanent failures are not retried)', () => {
  it('a CRM notification: retried while the notifier says retryable, within the cap; a refusal for good is the last attempt', async () => {
    await fc.assert(
      fc.asyncProperty(outcomes, async (script) => {
        const attempts: string[] = [];
        const notifier = (): LifecycleNotifier => ({
          notify: (n: LifecycleNotification) => () => {
            attempts.push(n.id);
            const failure = failureOf(script[attempts.filter((id) => id === n.id).length - 1] ?? 'delivered');
            return failure === undefined ? TE.right(undefined)() : TE.left(failure)();
          },
        });
        const h = await readyHarness({ notifier });
        await send(h, 'q1');
        await runTheWorkerLong(h);

        const [first] = attempts;
        const want = expected(script);
        expect(attempts.filter((id) => id === first)).toHaveLength(want.attempts);
        const record = (await right(() => h.storage.unitOfWork((s) => s.outbox.list())())).find(
          (r) => r.message.id === first,
        );
        expect(record?.status).toBe(want.status);
      }),
      { numRuns: 25 },
    );
  });

  it('an invitation email: retried while the mailer says retryable, within the cap; a refusal for good fails it at once', async () => {
    await fc.assert(
      fc.asyncProperty(outcomes, async (script) => {
        const h = await readyHarness();
        const want = expected(script);
        // The mailer answers the script to the invitation, the first email, up to the attempt that ends it (the
        // test's expectation): were more attempts made, they would meet a success and the counts would differ.
        const failures = script.slice(0, want.attempts).map(failureOf);
        h.mailer.failNext(...failures.filter((f): f is DeliveryError => f !== undefined));
        const view = await send(h, 'q1');
        await runTheWorkerLong(h);

        const record = (await right(() => h.storage.unitOfWork((s) => s.outbox.list())())).find(
          (r) => r.message.id === `${view.id}.invitation`,
        );
        expect(record?.status).toBe(want.status);
        expect(record?.attempts).toBe(want.attempts);
        expect(h.mailer.sent.filter((m) => m.kind === 'invitation')).toHaveLength(
          want.status === 'delivered' ? 1 : 0,
        );
        expect((await right(h.paraphe.sender.getProcedure(seller, view.id))).status).toBe(
          want.status === 'delivered' ? 'sent' : 'failed',
        );
      }),
      { numRuns: 25 },
    );
  });
});
