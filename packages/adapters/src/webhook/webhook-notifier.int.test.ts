import type { LifecycleNotification } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import { afterEach, describe, expect, it } from 'vitest';
import { recordingSleep } from '../delivery/sleep.js';
import { describeLifecycleNotifierContract } from './lifecycle-notifier.contract.js';
import { type CrmReceiver, type ReceiverBehaviour, startCrmReceiver } from './test-support/crm-receiver.js';
import { makeWebhookNotifier, type WebhookLogEntry, type WebhookNotifierConfig } from './webhook-notifier.js';

const secret = 'whsec_paraphe_test_SECRET';
const notification: LifecycleNotification = {
  id: 'evt-0001',
  tenantId: 't-1',
  procedureId: 'p-1',
  quoteId: 'q-42',
  type: 'signed',
  status: 'signed',
  at: new Date('2025-06-01T10:00:00Z'),
};

let clock = new Date('2025-06-01T10:00:05Z');
const now = () => clock;
const receivers: CrmReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
  clock = new Date('2025-06-01T10:00:05Z');
});

const setUp = async (script: ReadonlyArray<ReceiverBehaviour>, over: Partial<WebhookNotifierConfig> = {}) => {
  const receiver = await startCrmReceiver(secret, now, script);
  receivers.push(receiver);
  const { sleep, waits } = recordingSleep();
  const logs: WebhookLogEntry[] = [];
  const notifier = makeWebhookNotifier({
    url: receiver.url,
    secret,
    now,
    sleep,
    random: () => 0,
    policy: { maxAttempts: 3, baseDelayMs: 1000, maxDelayMs: 10_000 },
    allowPrivateNetwork: true,
    timeoutMs: 2000,
    log: (e) => logs.push(e),
    ...over,
  });
  return { receiver, notifier, waits, logs };
};

/** Replays a captured delivery, optionally altered, straight to the receiver. */
const replay = (receiver: CrmReceiver, index: number, alter: (body: string) => string = (b) => b) => {
  const delivery = receiver.deliveries[index];
  if (delivery === undefined) throw new Error('no such delivery');
  const headers = Object.fromEntries(
    ['content-type', 'paraphe-event-id', 'paraphe-timestamp', 'paraphe-signature'].map((h) => [
      h,
      String(delivery.headers[h]),
    ]),
  );
  return fetch(receiver.url, { method: 'POST', headers, body: alter(delivery.body) });
};

describeLifecycleNotifierContract('webhook', async () => {
  const receiver = await startCrmReceiver(secret, now, ['ok']);
  const attempts = 2;
  return {
    notifier: makeWebhookNotifier({
      url: receiver.url,
      secret,
      now,
      sleep: recordingSleep().sleep,
      policy: { maxAttempts: attempts, baseDelayMs: 1000, maxDelayMs: 10_000 },
      allowPrivateNetwork: true,
      timeoutMs: 2000,
    }),
    // What the CRM decoded from the body, its instant read back from the ISO text.
    received: async () => receiver.processed.map((event) => ({ ...event, at: new Date(event.at) })),
    refuseNext: (refusal) =>
      refusal === 'permanent'
        ? receiver.failNext('bad-request')
        : receiver.failNext(...Array.from({ length: attempts }, () => 'unavailable' as const)),
    close: receiver.close,
  };
});

describe('makeWebhookNotifier with a receiver using the exported helpers', () => {
  it('delivers a signed event the receiver verifies and decodes', async () => {
    const { receiver, notifier, logs } = await setUp(['ok']);
    expect(await notifier.notify(notification)()).toEqual(E.right(undefined));
    expect(receiver.processed).toEqual([{ ...notification, at: '2025-06-01T10:00:00.000Z' }]);
    const headers = receiver.deliveries[0]?.headers;
    expect(headers?.['paraphe-event-id']).toBe('evt-0001');
    expect(headers?.['paraphe-timestamp']).toBe(String(Math.floor(clock.getTime() / 1000)));
    expect(headers?.['paraphe-signature']).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(logs).toEqual([{ event: 'webhook.delivered', eventId: 'evt-0001', attempt: 1, status: 200 }]);
  });

  it('lets the receiver reject an altered body and a stale replay, and absorb a fresh replay', async () => {
    const { receiver, notifier } = await setUp(['ok']);
    await notifier.notify(notification)();
    expect((await replay(receiver, 0, (b) => b.replace('"signed"', '"declined"'))).status).toBe(401);
    expect((await replay(receiver, 0)).status).toBe(200);
    clock = new Date(clock.getTime() + 10 * 60_000);
    expect((await replay(receiver, 0)).status).toBe(401);
    expect(receiver.rejected).toEqual(['SIGNATURE_MISMATCH', 'TIMESTAMP_STALE']);
    expect(receiver.processed).toHaveLength(1);
  });

  it('retries after a 500 and the receiver processes the event once', async () => {
    const { receiver, notifier, waits, logs } = await setUp(['fail-after-processing', 'ok']);
    expect(await notifier.notify(notification)()).toEqual(E.right(undefined));
    expect(receiver.deliveries).toHaveLength(2);
    expect(receiver.deliveries.map((d) => d.headers['paraphe-event-id'])).toEqual(['evt-0001', 'evt-0001']);
    expect(receiver.processed).toHaveLength(1);
    expect(waits).toEqual([1000]);
    expect(logs.map((l) => l.event)).toEqual(['webhook.attempt_failed', 'webhook.delivered']);
  });

  it('gives up after the last attempt with a retryable DeliveryError', async () => {
    const { receiver, notifier, waits, logs } = await setUp(['unavailable']);
    const result = await notifier.notify(notification)();
    const everything = JSON.stringify([result, logs]);
    for (const s of [secret, 'crm-url-token-SECRET', 'v1=']) expect(everything).not.toContain(s);
    expect(result).toMatchObject(
      E.left({
        _tag: 'DeliveryError',
        retryable: true,
        reason: 'HTTP_503',
        detail: 'event evt-0001',
        attempts: 3,
      }),
    );
    expect(receiver.deliveries).toHaveLength(3);
    expect(waits).toEqual([1000, 2000]);
  });

  it('does not retry a 4xx, and does not follow a redirect', async () => {
    const bad = await setUp(['bad-request']);
    expect(await bad.notifier.notify(notification)()).toMatchObject(
      E.left({ retryable: false, reason: 'HTTP_400', attempts: 1 }),
    );
    const moved = await setUp(['redirect']);
    expect(await moved.notifier.notify(notification)()).toMatchObject(E.left({ reason: 'HTTP_302' }));
    expect(moved.receiver.deliveries).toHaveLength(1);
  });

  it('refuses a loopback target unless private networks are allowed, before sending anything', async () => {
    const { receiver, notifier, logs } = await setUp(['ok'], { allowPrivateNetwork: false });
    const result = await notifier.notify(notification)();
    expect(result).toMatchObject(
      E.left({ _tag: 'DeliveryError', reason: 'PRIVATE_NETWORK_TARGET', retryable: false }),
    );
    expect(receiver.deliveries).toHaveLength(0);
    const everything = JSON.stringify([result, logs]);
    for (const s of [secret, 'crm-url-token-SECRET']) expect(everything).not.toContain(s);
  });

  it('abandons an attempt that hangs past the timeout, as TIMEOUT, quickly', async () => {
    const { notifier, receiver } = await setUp(['hang'], { timeoutMs: 100 });
    const started = Date.now();
    const result = await notifier.notify(notification)();
    expect(result).toMatchObject(E.left({ reason: 'TIMEOUT', retryable: true, attempts: 3 }));
    expect(receiver.deliveries).toHaveLength(3);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('refuses an invalid notification date instead of throwing', async () => {
    const { notifier, receiver } = await setUp(['ok']);
    const result = await notifier.notify({ ...notification, at: new Date(Number.NaN) })();
    expect(result).toMatchObject(
      E.left({ _tag: 'DeliveryError', reason: 'INVALID_NOTIFICATION', retryable: false }),
    );
    expect(receiver.deliveries).toHaveLength(0);
  });
});
