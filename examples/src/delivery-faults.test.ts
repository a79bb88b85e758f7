import { balanceOf, type DomainError } from '@paraphe/domain';
import { describe, expect, it } from 'vitest';
import { closedPort } from '../../packages/adapters/src/delivery/test-support/closed-port.js';
import {
  smtpReply,
  startSmtpTestServer,
} from '../../packages/adapters/src/mail/smtp/test-support/smtp-test-server.js';
import {
  type DeliveryWorld,
  refusal,
  SIGNER_EMAIL,
  SIGNING_BASE_URL,
  seller,
  unwrap,
} from './test-support/delivery-world.js';
import { useFaultWorlds } from './test-support/fault-worlds.js';
import { mailsTo, signingLinkIn } from './test-support/mailbox.js';
import { startTcpRelay } from './test-support/tcp-relay.js';

const MINUTE = 60_000;

const { start, laterMailboxes, cleanups } = useFaultWorlds();

/** The credits as the sender sees them, checked against the fold of the ledger. */
const credits = async (w: DeliveryWorld) => {
  const view = await unwrap(w.paraphe.sender.getCredits(seller));
  expect(balanceOf(await w.ledger())).toEqual(view);
  return view;
};

const lastEvent = async (w: DeliveryWorld, procedureId: string) =>
  (await w.procedure(procedureId)).timeline.at(-1);

/** Sends quote `id` and follows the emailed link up to an open page. */
const sendAndOpen = async (w: DeliveryWorld, id: string) => {
  const sent = await w.send(id);
  const [invitation] = await mailsTo(w.smtp!, SIGNER_EMAIL);
  const { token } = signingLinkIn(invitation!, SIGNING_BASE_URL);
  expect((await unwrap(w.paraphe.signer.open(token))).status).toBe('opened');
  return { id: sent.id, token };
};

const verifyAndSign = async (w: DeliveryWorld, token: string, code: string) => {
  expect(await unwrap(w.paraphe.signer.verifyCode(token, code))).toEqual({ outcome: 'verified' });
  expect((await unwrap(w.paraphe.signer.sign(token, true))).status).toBe('signed');
};

describe('SMTP faults, through the facade', () => {
  it('a recipient refused for good (550) fails the procedure, releases the credit and tells the CRM', async () => {
    const w = await start({
      rcpt: (address) => (address === SIGNER_EMAIL ? smtpReply(550, '5.1.1 Mailbox unavailable') : undefined),
    });
    const sent = await w.send('0550');

    expect(sent.status).toBe('failed');
    expect(sent.credit).toBe('released');
    expect(sent.timeline.at(-1)).toMatchObject({
      type: 'invitation_failed',
      data: { reason: 'SMTP_REJECTED', credit: 'released' },
    });
    expect(await credits(w)).toEqual({ purchased: 3, available: 3, reserved: 0, captured: 0 });
    expect((await w.ledger()).at(-1)).toMatchObject({
      kind: 'released',
      reason: 'failed',
      procedureId: sent.id,
    });
    expect(w.webhook.events.map((e) => [e.procedureId, e.type, e.status])).toEqual([
      [sent.id, 'invitation_failed', 'failed'],
    ]);
    expect(w.smtp?.received).toHaveLength(0);
    const invitation = (await w.outbox()).find((r) => r.message.id === `${sent.id}.invitation`);
    expect(invitation).toMatchObject({ status: 'failed', attempts: 1, lastError: 'SMTP_REJECTED' });
    // The quote can be sent again, with the contact's address corrected in the CRM.
    expect(await unwrap(w.paraphe.sender.checkSend(seller, '0550'))).toEqual([]);
  });

  it('a deferral (451) schedules a retry, keeps the credit reserved, and delivers once the server accepts', async () => {
    let greylisting = true;
    const w = await start({
      rcpt: () => (greylisting ? smtpReply(451, '4.7.1 Greylisted, try again later') : undefined),
    });
    const sent = await w.send('0451');

    expect(sent.status).toBe('pending');
    expect(sent.credit).toBe('reserved');
    const retry = sent.timeline.at(-1);
    expect(retry).toMatchObject({
      type: 'delivery_retry_scheduled',
      data: {
        reason: 'SMTP_DEFERRED',
        attempt: 1,
        retryAt: new Date(w.clock.now().getTime() + MINUTE).toISOString(),
      },
    });
    expect(await credits(w)).toEqual({ purchased: 3, available: 2, reserved: 1, captured: 0 });

    greylisting = false;
    expect(await unwrap(w.paraphe.system.dispatchOutbox())).toBe(0);
    expect((await w.procedure(sent.id)).status).toBe('pending');

    w.clock.advanceBy(MINUTE);
    expect(await unwrap(w.paraphe.system.dispatchOutbox())).toBeGreaterThanOrEqual(1);
    expect((await w.procedure(sent.id)).status).toBe('sent');
    const [invitation, ...more] = await mailsTo(w.smtp!, SIGNER_EMAIL);
    expect(more).toHaveLength(0);
    const { token } = signingLinkIn(invitation!, SIGNING_BASE_URL);
    expect((await unwrap(w.paraphe.signer.open(token))).status).toBe('opened');
    expect(await credits(w)).toEqual({ purchased: 3, available: 2, reserved: 1, captured: 0 });
    // A page view delivers nothing itself: the worker tells the CRM.
    await unwrap(w.paraphe.system.dispatchOutbox());
    expect(w.webhook.events.map((e) => e.type)).toEqual(['invitation_sent', 'opened']);
  });

  it('a server that is down leaves the procedure pending; the invitation leaves once it is back', async () => {
    const port = await closedPort();
    const w = await start({ mailPort: port });
    const sent = await w.send('0111');

    expect(sent.status).toBe('pending');
    expect(sent.timeline.at(-1)).toMatchObject({
      type: 'delivery_retry_scheduled',
      data: { reason: 'CONNECTION_REFUSED', attempt: 1 },
    });
    expect(await credits(w)).toEqual({ purchased: 3, available: 2, reserved: 1, captured: 0 });

    const server = await startSmtpTestServer();
    const relay = await startTcpRelay(port, server.port);
    cleanups.push(relay.close, server.close);
    laterMailboxes.push(server);
    w.clock.advanceBy(MINUTE);
    await unwrap(w.paraphe.system.runPeriodicJobs());

    expect((await w.procedure(sent.id)).status).toBe('sent');
    const [invitation] = await mailsTo(server, SIGNER_EMAIL);
    const { token } = signingLinkIn(invitation!, SIGNING_BASE_URL);
    expect((await unwrap(w.paraphe.signer.open(token))).status).toBe('opened');
    await unwrap(w.paraphe.system.dispatchOutbox());
    expect(w.webhook.events.map((e) => e.type)).toEqual(['invitation_sent', 'opened']);
  });

  it('a server down for good: retried until delivery.maxAttempts, then failed with the credit released', async () => {
    const w = await start({
      mailPort: await closedPort(),
      delivery: { maxAttempts: 3, baseDelayMs: MINUTE, maxDelayMs: 10 * MINUTE },
    });
    const sent = await w.send('0404');
    w.clock.advanceBy(MINUTE);
    await unwrap(w.paraphe.system.dispatchOutbox());
    expect((await w.procedure(sent.id)).status).toBe('pending');
    w.clock.advanceBy(2 * MINUTE);
    await unwrap(w.paraphe.system.dispatchOutbox());

    const view = await w.procedure(sent.id);
    expect(view.status).toBe('failed');
    expect(view.credit).toBe('released');
    expect(
      view.timeline
        .filter((e) => e.type === 'delivery_retry_scheduled' || e.type === 'invitation_failed')
        .map((e) => [e.type, e.data.attempt ?? null, e.data.reason]),
    ).toEqual([
      ['delivery_retry_scheduled', 1, 'CONNECTION_REFUSED'],
      ['delivery_retry_scheduled', 2, 'CONNECTION_REFUSED'],
      ['invitation_failed', null, 'CONNECTION_REFUSED'],
    ]);
    expect(await credits(w)).toEqual({ purchased: 3, available: 3, reserved: 0, captured: 0 });
    expect(w.webhook.events.map((e) => [e.type, e.status])).toEqual([['invitation_failed', 'failed']]);
    // Nothing is left to retry: a later run sends nothing and changes nothing.
    w.clock.advanceBy(60 * MINUTE);
    expect(await unwrap(w.paraphe.system.dispatchOutbox())).toBe(0);
    expect((await w.outbox()).filter((r) => r.status === 'pending')).toEqual([]);
  });
});

describe('SMS provider faults, through the facade', () => {
  it('a 500 then a 200: the composition root retries, the code arrives, the signer verifies and signs', async () => {
    const w = await start({ twilio: ['server-error', 'created'] });
    const { id, token } = await sendAndOpen(w, '0500');
    await unwrap(w.paraphe.signer.requestCode(token));

    expect(w.twilio.requests).toHaveLength(2);
    expect(w.twilio.requests[1]?.Body).toBe(w.twilio.requests[0]?.Body);
    await verifyAndSign(w, token, w.codesSent()[1]!);
    const types = await w.timeline(id);
    expect(types.filter((t) => t === 'code_sent')).toHaveLength(1);
    expect(types).not.toContain('code_send_failed');
    expect(await credits(w)).toEqual({ purchased: 3, available: 2, reserved: 0, captured: 1 });
  });

  it('an invalid number (400, 21211) is DELIVERY_FAILURE on the timeline; after the cooldown the signer asks again and signs', async () => {
    const w = await start({ twilio: ['invalid-number', 'created'] });
    const { id, token } = await sendAndOpen(w, '0400');

    const failure: DomainError = await refusal(w.paraphe.signer.requestCode(token));
    expect(failure).toMatchObject({ code: 'DELIVERY_FAILURE', details: { reason: 'INVALID_NUMBER' } });
    expect(w.twilio.requests).toHaveLength(1);
    expect(await lastEvent(w, id)).toMatchObject({
      type: 'code_send_failed',
      data: { reason: 'INVALID_NUMBER' },
    });
    expect((await w.procedure(id)).status).toBe('opened');
    expect((await refusal(w.paraphe.signer.requestCode(token))).code).toBe('CODE_COOLDOWN');

    w.clock.advanceBy(30_000);
    await unwrap(w.paraphe.signer.requestCode(token));
    await verifyAndSign(w, token, w.codesSent()[1]!);
    expect(await credits(w)).toEqual({ purchased: 3, available: 2, reserved: 0, captured: 1 });
  });

  it('a provider that hangs past sms.timeoutMs is a quick DELIVERY_FAILURE; the procedure stays signable', async () => {
    const w = await start({ twilio: ['hang', 'created'], smsTimeoutMs: 300 });
    const { id, token } = await sendAndOpen(w, '0408');

    const started = Date.now();
    const failure = await refusal(w.paraphe.signer.requestCode(token));
    // One attempt of 300 ms: a request that timed out may have been sent, so it is not retried (no double code).
    expect(Date.now() - started).toBeLessThan(2000);
    expect(failure).toMatchObject({ code: 'DELIVERY_FAILURE', details: { reason: 'TIMEOUT' } });
    expect(w.twilio.requests).toHaveLength(1);
    expect(await lastEvent(w, id)).toMatchObject({ type: 'code_send_failed', data: { reason: 'TIMEOUT' } });
    expect((await unwrap(w.paraphe.signer.open(token))).status).toBe('opened');

    w.clock.advanceBy(30_000);
    await unwrap(w.paraphe.signer.requestCode(token));
    await verifyAndSign(w, token, w.codesSent()[1]!);
    expect(await credits(w)).toEqual({ purchased: 3, available: 2, reserved: 0, captured: 1 });
  });
});
