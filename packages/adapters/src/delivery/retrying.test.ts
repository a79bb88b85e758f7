import { type DeliveryError, deliveryError, type Mailer, type OutgoingEmail } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { describe, expect, it } from 'vitest';
import { pacedDeliveryError } from './delivery-failure.js';
import type { RetryPolicy } from './retry-policy.js';
import { retrying } from './retrying.js';
import { recordingSleep } from './sleep.js';

const policy: RetryPolicy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1000, factor: 2, jitter: 0.5 };
const email = { id: 'm-1' } as OutgoingEmail;

/** A mailer that answers from a script, one outcome per call, and counts calls. */
const scriptedMailer = (script: ReadonlyArray<DeliveryError | 'ok'>) => {
  let calls = 0;
  const mailer: Mailer = {
    send: () => {
      const outcome = script[Math.min(calls, script.length - 1)] ?? 'ok';
      calls++;
      return outcome === 'ok' ? TE.right({ providerMessageId: `<m-1@x>` }) : TE.left(outcome);
    },
  };
  return { mailer, calls: () => calls };
};

describe('retrying', () => {
  it('retries retryable errors with growing delays and succeeds', async () => {
    const { sleep, waits } = recordingSleep();
    const { mailer, calls } = scriptedMailer([
      deliveryError(true, 'TIMEOUT'),
      deliveryError(true, 'TIMEOUT'),
      'ok',
    ]);
    const result = await retrying(policy, sleep, { random: () => 0 })(mailer).send(email)();
    expect(E.isRight(result)).toBe(true);
    expect(calls()).toBe(3);
    expect(waits).toEqual([100, 200]);
  });

  it('gives up at once on a permanent error', async () => {
    const { sleep, waits } = recordingSleep();
    const { mailer, calls } = scriptedMailer([deliveryError(false, 'SMTP_REJECTED')]);
    const result = await retrying(policy, sleep)(mailer).send(email)();
    expect(result).toEqual(E.left(deliveryError(false, 'SMTP_REJECTED')));
    expect(calls()).toBe(1);
    expect(waits).toEqual([]);
  });

  it('stops after maxAttempts and returns the last error', async () => {
    const { sleep, waits } = recordingSleep();
    const { mailer, calls } = scriptedMailer([
      deliveryError(true, 'HTTP_500'),
      deliveryError(true, 'HTTP_502'),
      deliveryError(true, 'HTTP_503'),
      deliveryError(true, 'HTTP_504'),
    ]);
    const result = await retrying(policy, sleep, { random: () => 0.999 })(mailer).send(email)();
    expect(result).toEqual(E.left(deliveryError(true, 'HTTP_504')));
    expect(calls()).toBe(4);
    expect(waits).toHaveLength(3);
    for (const w of waits) expect(w).toBeLessThanOrEqual(policy.maxDelayMs);
  });

  it("honours the provider's Retry-After, within the cap", async () => {
    const { sleep, waits } = recordingSleep();
    const { mailer } = scriptedMailer([
      pacedDeliveryError('RATE_LIMITED', 700),
      pacedDeliveryError('RATE_LIMITED', 60_000),
      'ok',
    ]);
    await retrying(policy, sleep, { random: () => 0 })(mailer).send(email)();
    expect(waits).toEqual([700, 1000]);
  });

  it('treats maxAttempts below 1 as a single attempt', async () => {
    const { sleep } = recordingSleep();
    const { mailer, calls } = scriptedMailer([deliveryError(true, 'TIMEOUT')]);
    await retrying({ ...policy, maxAttempts: 0 }, sleep)(mailer).send(email)();
    expect(calls()).toBe(1);
  });
});
