import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LifecycleNotification } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { recordingSleep } from '../delivery/sleep.js';
import { standardWebhookSecret } from './standard-webhooks.js';
import { makeWebhookNotifier } from './webhook-notifier.js';
import { verifyWebhookSignature } from './webhook-signature.js';

const notification: LifecycleNotification = {
  id: 'p-1.event-3',
  tenantId: 't-1',
  procedureId: 'p-1',
  quoteId: 'q-42',
  type: 'signed',
  status: 'signed',
  at: new Date('2025-06-01T10:00:00Z'),
};

interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A CRM endpoint that verifies with the `standardwebhooks` package only, on its own clock (the real one). */
const startStandardReceiver = async (whsecSecret: string) => {
  const verifier = new Webhook(whsecSecret);
  const received: Received[] = [];
  const accepted: unknown[] = [];
  const refused: string[] = [];
  const server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += String(chunk);
    received.push({ headers: req.headers, body });
    try {
      accepted.push(verifier.verify(body, req.headers as Record<string, string>));
      res.writeHead(204).end();
    } catch (e) {
      refused.push((e as Error).message);
      res.writeHead(401).end();
    }
  });
  const port = await new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
  const url = `http://127.0.0.1:${port}/paraphe/events`;
  const replay = (delivery: Received, alter: (headers: Record<string, string>) => Record<string, string>) =>
    fetch(url, {
      method: 'POST',
      headers: alter(delivery.headers as Record<string, string>),
      body: delivery.body,
    });
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return { url, received, accepted, refused, replay, close };
};

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

const deliverTo = async (secret: string, whsecSecret: string, now: () => Date = () => new Date()) => {
  const receiver = await startStandardReceiver(whsecSecret);
  closers.push(receiver.close);
  const notifier = makeWebhookNotifier({
    url: receiver.url,
    secret,
    now,
    sleep: recordingSleep().sleep,
    policy: { maxAttempts: 3, baseDelayMs: 1000, maxDelayMs: 10_000 },
    allowPrivateNetwork: true,
    timeoutMs: 2000,
  });
  return { receiver, result: await notifier.notify(notification)() };
};

const stripped = ({ 'content-length': _, host: __, connection: ___, ...rest }: Record<string, string>) =>
  rest;

describe('deliveries an off-the-shelf Standard Webhooks verifier accepts', () => {
  it('a plain Paraphe secret, given to the verifier in its whsec_ form', async () => {
    const secret = 'paraphe-webhook-secret-of-this-crm';
    const { receiver, result } = await deliverTo(secret, standardWebhookSecret(secret));
    expect(result).toEqual(E.right(undefined));
    expect(receiver.refused).toEqual([]);
    expect(receiver.accepted).toEqual([{ ...notification, at: '2025-06-01T10:00:00.000Z' }]);
    const headers = receiver.received[0]?.headers ?? {};
    expect(headers['webhook-id']).toBe('p-1%2Eevent-3');
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(headers['webhook-timestamp']).toBe(headers['paraphe-timestamp']);
  });

  it('a whsec_ secret, given to the verifier as is; the Paraphe-Signature headers still verify', async () => {
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    const { receiver, result } = await deliverTo(secret, secret);
    expect(result).toEqual(E.right(undefined));
    const delivery = receiver.received[0];
    expect(
      verifyWebhookSignature({
        secret,
        header: String(delivery?.headers['paraphe-signature']),
        timestamp: String(delivery?.headers['paraphe-timestamp']),
        body: delivery?.body ?? '',
        now: new Date(),
      }),
    ).toMatchObject(E.right({}));
    expect(delivery?.headers['paraphe-event-id']).toBe('p-1.event-3');
  });

  it('refuses a tampered body, id or timestamp, and another secret', async () => {
    const secret = 'paraphe-webhook-secret-of-this-crm';
    const { receiver } = await deliverTo(secret, standardWebhookSecret(secret));
    const delivery = receiver.received[0];
    if (delivery === undefined) throw new Error('nothing delivered');
    const statuses = await Promise.all([
      receiver.replay({ ...delivery, body: delivery.body.replace('"signed"', '"declined"') }, stripped),
      receiver.replay(delivery, (h) => ({ ...stripped(h), 'webhook-id': 'p-1%2Eevent-4' })),
      receiver.replay(delivery, (h) => ({
        ...stripped(h),
        'webhook-timestamp': String(Number(h['webhook-timestamp']) - 1),
      })),
      receiver.replay(delivery, stripped),
    ]).then((responses) => responses.map((r) => r.status));
    expect(statuses).toEqual([401, 401, 401, 204]);
    expect(receiver.refused).toEqual(Array(3).fill('No matching signature found'));

    const other = await deliverTo('another-secret', standardWebhookSecret(secret));
    expect(other.result).toMatchObject(E.left({ _tag: 'DeliveryError', attempts: 1, reason: 'HTTP_401' }));
    expect(other.receiver.refused).toEqual(['No matching signature found']);
  });

  it('refuses a delivery signed with a stale timestamp', async () => {
    const secret = 'paraphe-webhook-secret-of-this-crm';
    const tenMinutesAgo = () => new Date(Date.now() - 10 * 60_000);
    const { receiver, result } = await deliverTo(secret, standardWebhookSecret(secret), tenMinutesAgo);
    expect(result).toMatchObject(E.left({ _tag: 'DeliveryError', attempts: 1, reason: 'HTTP_401' }));
    expect(receiver.refused).toEqual(['Message timestamp too old']);
  });
});
