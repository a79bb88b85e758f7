import type { MobileNumber, OutgoingSms } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import { afterEach, describe, expect, it } from 'vitest';
import { retrying } from '../../delivery/retrying.js';
import { recordingSleep } from '../../delivery/sleep.js';
import { closedPort } from '../../delivery/test-support/closed-port.js';
import { describeSmsSenderContract } from '../sms-sender.contract.js';
import { type HttpSmsSenderConfig, makeHttpSmsSender, type SmsLogEntry } from './http-sms-sender.js';
import { smsCodeText } from './sms-code-text.js';
import { type FakeTwilio, startFakeTwilio, type TwilioBehaviour } from './test-support/fake-twilio.js';

const credentials = { accountSid: 'AC5ef8732a3c49700934481addd5ce1659', authToken: 'tw-auth-token-SECRET-1' };
const code = '482913';
const sms: OutgoingSms = {
  id: 'sms-1',
  tenantId: 't-1',
  procedureId: 'p-1',
  language: 'fr',
  to: '+33612345678' as MobileNumber,
  text: smsCodeText('fr', code, 'D-2024-042'),
};
const secrets = [
  code,
  credentials.authToken,
  credentials.accountSid,
  Buffer.from(`${credentials.accountSid}:${credentials.authToken}`).toString('base64'),
  sms.to,
];

const running: FakeTwilio[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
});

const setUp = async (script: ReadonlyArray<TwilioBehaviour>, over: Partial<HttpSmsSenderConfig> = {}) => {
  const twilio = await startFakeTwilio(credentials, script);
  running.push(twilio);
  const logs: SmsLogEntry[] = [];
  const sender = makeHttpSmsSender({
    baseUrl: twilio.baseUrl,
    ...credentials,
    sender: { from: '+15005550006' },
    timeoutMs: 2000,
    log: (e) => logs.push(e),
    ...over,
  });
  return { sender, logs, twilio };
};

describeSmsSenderContract('http (Twilio-shaped server)', async () => {
  const twilio = await startFakeTwilio(credentials, ['created']);
  return {
    sender: makeHttpSmsSender({
      baseUrl: twilio.baseUrl,
      ...credentials,
      sender: { from: '+15005550006' },
      timeoutMs: 2000,
    }),
    received: async () => twilio.accepted.map((form) => ({ to: form.To ?? '', text: form.Body ?? '' })),
    refuseNext: (refusal) =>
      twilio.failNext(refusal === 'invalid-number' ? 'invalid-number' : 'server-error'),
    close: twilio.close,
  };
});

describe('makeHttpSmsSender against a Twilio-shaped server', () => {
  it('posts the form with Basic auth and returns the message sid on 201', async () => {
    const { sender, twilio, logs } = await setUp(['created']);
    const result = await sender.send(sms)();
    expect(result).toEqual(E.right({ providerMessageId: `SM${'1'.padStart(32, '0')}` }));
    expect(twilio.requests).toEqual([{ To: '+33612345678', From: '+15005550006', Body: sms.text }]);
    expect(logs).toEqual([
      { event: 'sms.sent', smsId: 'sms-1', providerMessageId: `SM${'1'.padStart(32, '0')}` },
    ]);
  });

  it('can send through a Messaging Service instead of a number', async () => {
    const { sender, twilio } = await setUp(['created'], { sender: { messagingServiceSid: 'MG0001' } });
    expect(E.isRight(await sender.send(sms)())).toBe(true);
    expect(twilio.requests[0]).toEqual({ To: '+33612345678', MessagingServiceSid: 'MG0001', Body: sms.text });
  });

  it('reports an invalid number (400, code 21211) as permanent INVALID_NUMBER', async () => {
    const { sender } = await setUp(['invalid-number']);
    expect(await sender.send(sms)()).toEqual(
      E.left({ _tag: 'DeliveryError', retryable: false, reason: 'INVALID_NUMBER', detail: 'twilio 21211' }),
    );
  });

  it('reports wrong credentials as permanent AUTH_FAILED', async () => {
    const { sender } = await setUp(['created'], { authToken: 'wrong' });
    expect(await sender.send(sms)()).toMatchObject(E.left({ retryable: false, reason: 'AUTH_FAILED' }));
  });

  it('reports 429 as retryable and the retrying wrapper waits for Retry-After', async () => {
    const { sender, twilio } = await setUp(['rate-limited', 'created']);
    const { sleep, waits } = recordingSleep();
    const retried: unknown[] = [];
    const policy = { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 5000 };
    const result = await retrying(policy, sleep, { random: () => 0, onRetry: (e) => retried.push(e.error) })(
      sender,
    ).send(sms)();
    expect(E.isRight(result)).toBe(true);
    expect(retried).toEqual([
      {
        _tag: 'DeliveryError',
        retryable: true,
        reason: 'RATE_LIMITED',
        detail: 'twilio 20429',
        retryAfterMs: 2000,
      },
    ]);
    expect(waits).toEqual([2000]);
    expect(twilio.requests).toHaveLength(2);
  });

  it('retries a 500 and succeeds on the second attempt', async () => {
    const { sender, twilio } = await setUp(['server-error', 'created']);
    const { sleep, waits } = recordingSleep();
    const result = await retrying({ maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1000 }, sleep, {
      random: () => 0,
    })(sender).send(sms)();
    expect(result).toEqual(E.right({ providerMessageId: `SM${'2'.padStart(32, '0')}` }));
    expect(twilio.requests).toHaveLength(2);
    expect(waits).toEqual([100]);
  });

  it('gives up on a provider that hangs, as a retryable TIMEOUT, quickly', async () => {
    const { sender } = await setUp(['hang'], { timeoutMs: 150 });
    const started = Date.now();
    expect(await sender.send(sms)()).toEqual(
      E.left({ _tag: 'DeliveryError', retryable: true, reason: 'TIMEOUT' }),
    );
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('reports a refused connection as retryable', async () => {
    const port = await closedPort();
    const sender = makeHttpSmsSender({
      baseUrl: `http://127.0.0.1:${port}`,
      ...credentials,
      sender: { from: 'Paraphe' },
    });
    expect(await sender.send(sms)()).toMatchObject(E.left({ retryable: true, reason: 'CONNECTION_REFUSED' }));
  });

  it('never lets the code, the number or the credentials into an error or a log line', async () => {
    const outcomes: E.Either<unknown, unknown>[] = [];
    const { sender, logs } = await setUp(['invalid-number', 'rate-limited', 'server-error', 'created']);
    for (let i = 0; i < 4; i++) outcomes.push(await sender.send(sms)());
    const { sender: badAuth } = await setUp(['created'], { authToken: 'wrong-token-also-secret' });
    outcomes.push(await badAuth.send(sms)());
    const { sender: hanging, logs: hangLogs } = await setUp(['hang'], { timeoutMs: 100 });
    outcomes.push(await hanging.send(sms)());
    const port = await closedPort();
    const refused = makeHttpSmsSender({
      baseUrl: `http://127.0.0.1:${port}`,
      ...credentials,
      sender: { from: 'X' },
    });
    outcomes.push(await refused.send(sms)());

    expect(outcomes.filter((o) => E.isLeft(o))).toHaveLength(6);
    const everything = JSON.stringify([outcomes, logs, hangLogs]);
    for (const secret of [...secrets, 'wrong-token-also-secret']) expect(everything).not.toContain(secret);
  });
});
