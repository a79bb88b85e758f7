import { balanceOf } from '@paraphe/domain';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type DeliveryWorld,
  SENDER_EMAIL,
  SIGNER_EMAIL,
  SIGNING_BASE_URL,
  seller,
  startDeliveryWorld,
  unwrap,
} from './test-support/delivery-world.js';
import { mailsTo, signingLinkIn } from './test-support/mailbox.js';
import { captureOutput, type OutputCapture } from './test-support/output-capture.js';
import { secretLeaks } from './test-support/secret-leaks.js';

const DAY = 24 * 3600 * 1000;
const browser = { ip: '203.0.113.7', userAgent: 'Firefox/140' };

let world: DeliveryWorld | undefined;
let output: OutputCapture | undefined;
beforeEach(() => {
  output = captureOutput();
});
afterEach(async () => {
  output?.restore();
  // Whatever the test did, no secret may have been printed, returned in an error or stored in the outbox.
  if (world !== undefined) expect(await secretLeaks(world, output?.text() ?? '')).toEqual([]);
  await world?.close();
  world = undefined;
});

describe('real delivery through the facade: SMTP, an HTTP SMS provider and the CRM webhook', () => {
  it('emails the link, texts the code, signs, then tells the sender by email and the CRM by webhook', async () => {
    world = await startDeliveryWorld();
    const w = world;
    const { signer } = w.paraphe;

    const sent = await w.send('0042');
    expect(sent.status).toBe('sent');

    const [invitation, ...more] = await mailsTo(w.smtp!, SIGNER_EMAIL);
    expect(more).toHaveLength(0);
    expect(invitation?.subject).toBe('Votre devis D-2026-0042');
    expect(invitation?.from?.value[0]).toEqual({ address: 'signature@acme.example', name: 'ACME Signature' });
    expect(invitation?.replyTo?.value[0]?.address).toBe(SENDER_EMAIL);
    expect(invitation?.messageId).toBe(`<${sent.id}.invitation@acme.example>`);
    const { token } = signingLinkIn(invitation!, SIGNING_BASE_URL);

    expect((await unwrap(signer.open(token, browser))).status).toBe('opened');
    await unwrap(signer.requestCode(token, browser));
    expect(w.twilio.requests).toHaveLength(1);
    expect(w.twilio.requests[0]).toMatchObject({ To: '+33612345678', From: '+33700000000' });
    expect(w.twilio.requests[0]?.Body).toContain('D-2026-0042');
    const [code] = w.codesSent();
    expect(await unwrap(signer.verifyCode(token, code!, browser))).toEqual({ outcome: 'verified' });
    expect((await unwrap(signer.sign(token, true, browser))).status).toBe('signed');

    const [notice, ...moreNotices] = await mailsTo(w.smtp!, SENDER_EMAIL);
    expect(moreNotices).toHaveLength(0);
    expect(notice?.subject).toBe('Offre D-2026-0042 signée');
    expect(notice?.text).toContain('Bonjour Bob Leroy,');
    expect(notice?.text).toContain('Claire Martin a signé le devis D-2026-0042');
    expect(notice?.text).not.toContain(token);

    const view = await w.procedure(sent.id);
    expect(view.timeline.map((e) => e.type)).toEqual([
      'procedure_created',
      'invitation_sent',
      'opened',
      'code_sent',
      'code_verified',
      'signed',
      'follow_up_created',
    ]);
    expect(w.crm.followUpActions.map((a) => a.procedureId)).toEqual([sent.id]);

    const credits = await unwrap(w.paraphe.sender.getCredits(seller));
    expect(credits).toEqual({ purchased: 3, available: 2, reserved: 0, captured: 1 });
    const ledger = await w.ledger();
    expect(ledger.map((e) => e.kind)).toEqual(['purchased', 'reserved', 'captured']);
    expect(balanceOf(ledger)).toEqual(credits);

    // Each status change reached the CRM's endpoint, signed with the shared secret, once: the page view's by the
    // worker, the others with the request that made them.
    expect(w.webhook.events.map((e) => e.type)).not.toContain('opened');
    await unwrap(w.paraphe.system.runPeriodicJobs());
    expect(w.webhook.rejected).toEqual([]);
    expect(w.webhook.events.map((e) => [e.type, e.status])).toEqual([
      ['invitation_sent', 'sent'],
      ['code_verified', 'verified'],
      ['signed', 'signed'],
      ['opened', 'opened'],
    ]);
    expect(new Set(w.webhook.events.map((e) => e.procedureId))).toEqual(new Set([sent.id]));
    // The in-process notifier given alongside the webhook configuration hears the same events.
    expect(w.crm.notifications.map((n) => n.id)).toEqual(w.webhook.events.map((e) => e.id));
    expect((await w.outbox()).every((r) => r.status === 'delivered')).toBe(true);
  });

  it('tells the sender by email, with the date, and the CRM by webhook when a procedure expires unsigned', async () => {
    world = await startDeliveryWorld();
    const w = world;
    const sent = await w.send('0043');
    w.clock.advanceBy(15 * DAY);
    expect(await unwrap(w.paraphe.system.runPeriodicJobs())).toMatchObject({ expired: 1, delivered: 2 });

    const view = await w.procedure(sent.id);
    expect([view.status, view.credit]).toEqual(['expired', 'released']);
    expect(await unwrap(w.paraphe.sender.getCredits(seller))).toEqual({
      purchased: 3,
      available: 3,
      reserved: 0,
      captured: 0,
    });
    const [notice] = await mailsTo(w.smtp!, SENDER_EMAIL);
    expect(notice?.subject).toBe('Offre D-2026-0043 : procédure de signature expirée');
    expect(notice?.text).toContain('Bonjour Bob Leroy,');
    expect(notice?.text).toContain('La procédure de signature du devis D-2026-0043 a expiré le 17/03/2026');
    expect(w.webhook.events.map((e) => [e.type, e.status])).toEqual([
      ['invitation_sent', 'sent'],
      ['expired', 'expired'],
    ]);
  });
});
