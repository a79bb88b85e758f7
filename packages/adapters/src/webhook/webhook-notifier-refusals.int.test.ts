import { connect as netConnect } from 'node:net';
import type { LifecycleNotification } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import { afterEach, describe, expect, it } from 'vitest';
import { recordingSleep } from '../delivery/sleep.js';
import type { WebhookLookup } from './private-network.js';
import { type CrmReceiver, type ReceiverBehaviour, startCrmReceiver } from './test-support/crm-receiver.js';
import { makeWebhookNotifier, type WebhookNotifierConfig } from './webhook-notifier.js';
import type { WebhookConnect, WebhookConnectTarget } from './webhook-transport.js';

const secret = 'paraphe-webhook-secret-for-tests';
const notification: LifecycleNotification = {
  id: 'p-1.event-3',
  tenantId: 't-1',
  procedureId: 'p-1',
  quoteId: 'q-42',
  type: 'signed',
  status: 'signed',
  at: new Date('2025-06-01T10:00:00Z'),
};
const now = () => new Date('2025-06-01T10:00:05Z');
const policy = { maxAttempts: 3, baseDelayMs: 1000, maxDelayMs: 10_000 };

const receivers: CrmReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

/** A resolver that answers its scripted addresses in turn (the last one again once past the end), and counts. */
const scriptedResolver = (...answers: ReadonlyArray<ReadonlyArray<string>>) => {
  const asked: string[] = [];
  const lookup: WebhookLookup = async (host) => {
    const answer = answers[Math.min(asked.length, answers.length - 1)] ?? [];
    asked.push(host);
    return answer.map((address) => ({ address }));
  };
  return { lookup, asked };
};

/** Records where the notifier asks to connect, and sends every socket to the loopback receiver instead. */
const connectingTo = (receiver: CrmReceiver) => {
  const targets: WebhookConnectTarget[] = [];
  const connect: WebhookConnect = (target) => {
    targets.push(target);
    return netConnect(Number(new URL(receiver.url).port), '127.0.0.1');
  };
  return { connect, targets };
};

const setUp = async (
  script: ReadonlyArray<ReceiverBehaviour>,
  over: (receiver: CrmReceiver) => Partial<WebhookNotifierConfig> = () => ({}),
) => {
  const receiver = await startCrmReceiver(secret, now, script);
  receivers.push(receiver);
  const { sleep, waits } = recordingSleep();
  const notifier = makeWebhookNotifier({
    url: receiver.url,
    secret,
    now,
    sleep,
    random: () => 0,
    policy,
    allowPrivateNetwork: true,
    timeoutMs: 2000,
    ...over(receiver),
  });
  return { receiver, notifier, waits };
};

/** A notifier whose target goes through `resolver`, vetted, its sockets watched and sent to the receiver. */
const setUpBehindDns = async (
  script: ReadonlyArray<ReceiverBehaviour>,
  url: string,
  resolver: ReturnType<typeof scriptedResolver>,
) => {
  let watched: ReturnType<typeof connectingTo> | undefined;
  const set = await setUp(script, (receiver) => {
    watched = connectingTo(receiver);
    return { url, allowPrivateNetwork: false, lookup: resolver.lookup, connect: watched.connect };
  });
  return { ...set, targets: watched?.targets ?? [] };
};

describe('a permanent refusal is attempted once', () => {
  it.each([400, 401, 403, 404, 405, 409, 410, 413, 415, 422])('HTTP %i', async (status) => {
    const { receiver, notifier, waits } = await setUp([{ status }]);
    expect(await notifier.notify(notification)()).toMatchObject(
      E.left({ _tag: 'DeliveryError', attempts: 1, reason: `HTTP_${status}`, retryable: false }),
    );
    expect([receiver.deliveries.length, waits]).toEqual([1, []]);
  });

  it.each([
    [408, 'TIMEOUT'],
    [429, 'RATE_LIMITED'],
    [500, 'HTTP_500'],
    [503, 'HTTP_503'],
  ])('while HTTP %i is retried up to the policy', async (status, reason) => {
    const { receiver, notifier, waits } = await setUp([{ status }]);
    expect(await notifier.notify(notification)()).toMatchObject(
      E.left({ _tag: 'DeliveryError', attempts: 3, reason, retryable: true }),
    );
    expect([receiver.deliveries.length, waits.length]).toEqual([3, 2]);
  });

  it('a private target: resolved once, never connected to', async () => {
    const resolver = scriptedResolver(['10.0.0.5']);
    const { notifier, waits, targets } = await setUpBehindDns(['ok'], 'https://crm.example/hook', resolver);
    expect(await notifier.notify(notification)()).toMatchObject(
      E.left({ _tag: 'DeliveryError', attempts: 1, reason: 'PRIVATE_NETWORK_TARGET', retryable: false }),
    );
    expect([resolver.asked, targets, waits]).toEqual([['crm.example'], [], []]);
  });
});

describe('DNS rebinding: a host that answers a public address, then a private one', () => {
  const url = 'https://crm.rebinding.example:8443/paraphe/events';

  it('is connected to at the public address it was vetted with, from one resolution', async () => {
    const resolver = scriptedResolver(['93.184.215.14'], ['127.0.0.1']);
    const { notifier, receiver, targets } = await setUpBehindDns(['ok'], url, resolver);
    expect(await notifier.notify(notification)()).toEqual(E.right(undefined));
    expect(resolver.asked).toEqual(['crm.rebinding.example']);
    expect(targets).toEqual([
      {
        host: 'crm.rebinding.example',
        port: 8443,
        tls: true,
        addresses: [{ address: '93.184.215.14', family: 4 }],
      },
    ]);
    expect(receiver.processed.map((e) => e.id)).toEqual(['p-1.event-3']);
  });

  it('is refused on the retry that resolves it to the private address, before any connection', async () => {
    const resolver = scriptedResolver(['93.184.215.14'], ['127.0.0.1']);
    const { notifier, targets } = await setUpBehindDns(['unavailable'], url, resolver);
    expect(await notifier.notify(notification)()).toMatchObject(
      E.left({ _tag: 'DeliveryError', attempts: 2, reason: 'PRIVATE_NETWORK_TARGET', retryable: false }),
    );
    expect(resolver.asked).toHaveLength(2);
    expect(targets.map((t) => t.addresses)).toEqual([[{ address: '93.184.215.14', family: 4 }]]);
  });
});
