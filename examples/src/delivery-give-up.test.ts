import { balanceOf } from '@paraphe/domain';
import { describe, expect, it } from 'vitest';
import { closedPort } from '../../packages/adapters/src/delivery/test-support/closed-port.js';
import {
  type SmtpTestServer,
  smtpReply,
  startSmtpTestServer,
} from '../../packages/adapters/src/mail/smtp/test-support/smtp-test-server.js';
import {
  type DeliveryWorld,
  refusal,
  SENDER_EMAIL,
  SIGNER_EMAIL,
  SIGNING_BASE_URL,
  seller,
  unwrap,
} from './test-support/delivery-world.js';
import { useFaultWorlds } from './test-support/fault-worlds.js';
import { mailsTo, signingLinkIn } from './test-support/mailbox.js';
import { startTcpRelay } from './test-support/tcp-relay.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const { start, laterMailboxes, cleanups } = useFaultWorlds();

/** The mail server, down until then, comes back on the port Paraphe was configured with. */
const mailServerBack = async (port: number): Promise<SmtpTestServer> => {
  const server = await startSmtpTestServer();
  const relay = await startTcpRelay(port, server.port);
  cleanups.push(relay.close, server.close);
  laterMailboxes.push(server);
  return server;
};

/** Everything the procedure's credit went through, oldest first. */
const creditHistory = async (w: DeliveryWorld, procedureId: string) =>
  (await w.ledger()).filter((e) => 'procedureId' in e && e.procedureId === procedureId).map((e) => e.kind);

const invitationOf = async (w: DeliveryWorld, procedureId: string) =>
  (await w.outbox()).find((r) => r.message.id === `${procedureId}.invitation`);

describe('an invitation past its deadline is never delivered', () => {
  it('its last retry waits no later than the deadline; at the deadline it is given up, the procedure expires, the credit comes back once', async () => {
    const port = await closedPort();
    const w = await start({ mailPort: port });
    const sent = await w.send('0801');
    expect(sent.status).toBe('pending');
    const deadline = sent.deadline;

    // Still down half a minute before the deadline: the next retry (two minutes later) is brought back to it.
    w.clock.set(new Date(deadline.getTime() - 30 * SECOND));
    await unwrap(w.paraphe.system.dispatchOutbox());
    expect((await w.procedure(sent.id)).timeline.at(-1)).toMatchObject({
      type: 'delivery_retry_scheduled',
      data: { attempt: 2, retryAt: deadline.toISOString() },
    });

    const server = await mailServerBack(port);
    w.clock.set(deadline);
    await unwrap(w.paraphe.system.dispatchOutbox());

    const view = await w.procedure(sent.id);
    expect([view.status, view.credit]).toEqual(['expired', 'released']);
    expect(view.timeline.map((e) => e.type)).not.toContain('invitation_sent');
    expect(await invitationOf(w, sent.id)).toMatchObject({
      status: 'failed',
      lastError: 'PROCEDURE_EXPIRED',
    });
    expect(await mailsTo(server, SIGNER_EMAIL)).toEqual([]);
    expect((await mailsTo(server, SENDER_EMAIL)).map((m) => m.subject)).toEqual([
      'Offre D-2026-0801 : procédure de signature expirée',
    ]);
    expect(w.webhook.events.map((e) => [e.procedureId, e.type])).toEqual([[sent.id, 'expired']]);
    expect(await creditHistory(w, sent.id)).toEqual(['reserved', 'released']);

    // Later runs of the worker find nothing to do: no second release, no invitation.
    for (const later of [MINUTE, DAY]) {
      w.clock.advanceBy(later);
      expect(await unwrap(w.paraphe.system.runPeriodicJobs())).toMatchObject({ expired: 0, delivered: 0 });
    }
    expect(await creditHistory(w, sent.id)).toEqual(['reserved', 'released']);
    expect(await mailsTo(server, SIGNER_EMAIL)).toEqual([]);
    expect(balanceOf(await w.ledger())).toEqual(await unwrap(w.paraphe.sender.getCredits(seller)));
  });

  it('the worker, running long after the deadline, expires the procedure and never sends the queued invitation', async () => {
    const port = await closedPort();
    const w = await start({ mailPort: port });
    const sent = await w.send('0802');
    expect(sent.status).toBe('pending');

    const server = await mailServerBack(port);
    w.clock.advanceBy(15 * DAY);
    // The sweep passes over a procedure whose invitation never left; its queued invitation, due again, expires it.
    await unwrap(w.paraphe.system.runPeriodicJobs());

    const view = await w.procedure(sent.id);
    expect([view.status, view.credit]).toEqual(['expired', 'released']);
    expect(view.timeline.filter((e) => e.type === 'expired')).toHaveLength(1);
    expect(await invitationOf(w, sent.id)).toMatchObject({ status: 'failed' });
    expect(await mailsTo(server, SIGNER_EMAIL)).toEqual([]);
    expect((await mailsTo(server, SENDER_EMAIL)).map((m) => m.subject)).toEqual([
      'Offre D-2026-0802 : procédure de signature expirée',
    ]);
    expect(w.webhook.events.map((e) => [e.procedureId, e.type])).toEqual([[sent.id, 'expired']]);
    expect(await creditHistory(w, sent.id)).toEqual(['reserved', 'released']);
    const outbox = await w.outbox();

    w.clock.advanceBy(DAY);
    expect(await unwrap(w.paraphe.system.runPeriodicJobs())).toMatchObject({ expired: 0, delivered: 0 });
    expect(await w.outbox()).toEqual(outbox);
    expect(await creditHistory(w, sent.id)).toEqual(['reserved', 'released']);
    expect(await mailsTo(server, SIGNER_EMAIL)).toEqual([]);
    expect(await unwrap(w.paraphe.sender.getCredits(seller))).toEqual({
      purchased: 3,
      available: 3,
      reserved: 0,
      captured: 0,
    });
  });
});

describe("the CRM's webhook refusing a notification", () => {
  it.each([400, 410])('%i (for good): attempted once, the message failed, never retried', async (status) => {
    const w = await start({ webhookAnswer: () => status });
    const sent = await w.send(`0${status}`);
    expect(sent.status).toBe('sent');

    const attempts = () => w.webhook.attempts.map((a) => [a.type, a.status]);
    expect(attempts()).toEqual([['invitation_sent', status]]);
    const notification = (await w.outbox()).find((r) => r.message.kind === 'notification');
    expect(notification).toMatchObject({ status: 'failed', attempts: 1 });

    for (const later of [MINUTE, HOUR, DAY]) {
      w.clock.advanceBy(later);
      expect(await unwrap(w.paraphe.system.runPeriodicJobs())).toMatchObject({ delivered: 0 });
    }
    expect(attempts()).toEqual([['invitation_sent', status]]);
    expect((await w.outbox()).find((r) => r.message.kind === 'notification')).toEqual(notification);
    // The refusal is the CRM's business: the procedure goes on.
    expect((await w.procedure(sent.id)).status).toBe('sent');
  });

  it('503 (for now): retried, and delivered once the CRM accepts', async () => {
    let unavailable = true;
    const w = await start({ webhookAnswer: () => (unavailable ? 503 : 204) });
    const sent = await w.send('0503');
    expect(sent.status).toBe('sent');

    const statuses = () => w.webhook.attempts.map((a) => a.status);
    expect(statuses().length).toBeGreaterThanOrEqual(1);
    expect(new Set(statuses())).toEqual(new Set([503]));
    expect((await w.outbox()).find((r) => r.message.kind === 'notification')).toMatchObject({
      status: 'pending',
      attempts: 1,
    });

    unavailable = false;
    w.clock.advanceBy(MINUTE);
    expect(await unwrap(w.paraphe.system.runPeriodicJobs())).toMatchObject({ delivered: 1 });
    expect(statuses().at(-1)).toBe(204);
    expect(statuses().filter((s) => s === 204)).toHaveLength(1);
    expect(w.webhook.events.map((e) => [e.procedureId, e.type])).toEqual([[sent.id, 'invitation_sent']]);
    expect((await w.outbox()).every((r) => r.status === 'delivered')).toBe(true);
  });
});

describe('a refusal for good of a mail or an SMS (the port says retryable: false)', () => {
  it('the mail server refusing the signer (550): the invitation is attempted once, never again, however long the worker runs', async () => {
    const asked: string[] = [];
    const w = await start({
      rcpt: (address) => {
        asked.push(address);
        return address === SIGNER_EMAIL ? smtpReply(550, '5.1.1 Mailbox unavailable') : undefined;
      },
    });
    const sent = await w.send('0550');
    expect(sent).toMatchObject({ status: 'failed', credit: 'released' });
    const invitation = await invitationOf(w, sent.id);
    expect(invitation).toMatchObject({ status: 'failed', attempts: 1, lastError: 'SMTP_REJECTED' });

    for (const later of [MINUTE, HOUR, DAY]) {
      w.clock.advanceBy(later);
      await unwrap(w.paraphe.system.runPeriodicJobs());
    }
    expect(asked.filter((a) => a === SIGNER_EMAIL)).toHaveLength(1);
    expect(await invitationOf(w, sent.id)).toEqual(invitation);
    expect(await creditHistory(w, sent.id)).toEqual(['reserved', 'released']);
  });

  it('the SMS provider refusing the number (400, 21211): the code is sent once, DELIVERY_FAILURE not retryable, nothing resent later', async () => {
    const w = await start({ twilio: ['invalid-number', 'created'] });
    const sent = await w.send('0400');
    const [invitation] = await mailsTo(w.smtp!, SIGNER_EMAIL);
    const { token } = signingLinkIn(invitation!, SIGNING_BASE_URL);
    await unwrap(w.paraphe.signer.open(token));

    expect(await refusal(w.paraphe.signer.requestCode(token))).toMatchObject({
      code: 'DELIVERY_FAILURE',
      details: { reason: 'INVALID_NUMBER', retryable: false },
    });
    for (const later of [MINUTE, HOUR]) {
      w.clock.advanceBy(later);
      await unwrap(w.paraphe.system.runPeriodicJobs());
    }
    expect(w.twilio.requests).toHaveLength(1);
    expect((await w.procedure(sent.id)).status).toBe('opened');
  });
});
