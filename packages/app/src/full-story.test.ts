import { balanceOf, verifyChain } from '@paraphe/domain';
import * as O from 'fp-ts/lib/Option.js';
import { describe, expect, it } from 'vitest';
import { admin, left, makeHarness, right, seller, TENANT } from './test-support/harness.js';

const DAY = 24 * 3600 * 1000;

describe('the help article, end to end through the facade', () => {
  it('activates, orders credits, refuses a quote without mobile, sends, signs, expires another', async () => {
    const h = await makeHarness();
    const { admin: a, sender: s, signer, system } = h.paraphe;

    await right(a.activate(admin));
    expect((await right(a.orderCredits(admin, { quantity: 3, orderReference: 'PO-1' }))).available).toBe(3);
    await right(a.updateSettings(admin, { procedureLifetimeDays: 15 }));

    await h.putQuote('q1', { contact: { id: 'c', lastName: 'Martin', email: 'claire@example.fr' } });
    const refusal = await left(
      s.send(seller, { quoteId: 'q1', subject: 'Votre devis', body: 'Bonjour, {{signing_link}}' }),
    );
    expect(refusal.code).toBe('SEND_REFUSED');
    expect((refusal as { reasons?: { code: string }[] }).reasons?.map((r) => r.code)).toEqual([
      'CONTACT_MOBILE_MISSING',
    ]);

    await h.putQuote('q1');
    const sent = await right(
      s.send(seller, { quoteId: 'q1', subject: 'Votre devis', body: 'Bonjour, {{signing_link}}' }),
    );
    expect(sent.status).toBe('sent');
    expect((await right(s.getCredits(seller))).available).toBe(2);

    const token = h.tokenFor(sent.id);
    const page = await right(signer.open(token, { ip: '203.0.113.7', userAgent: 'Firefox' }));
    expect(page.status).toBe('opened');
    expect(page.maskedMobile).toMatch(/^\+336•+78$/);
    await right(signer.requestCode(token));
    const wrong = await right(signer.verifyCode(token, '000000'));
    expect(wrong).toEqual({ outcome: 'rejected', attemptsLeft: 2 });
    expect(await right(signer.verifyCode(token, h.lastCode(sent.id)))).toEqual({ outcome: 'verified' });
    const signed = await right(signer.sign(token, true, { ip: '203.0.113.7' }));
    expect(signed.status).toBe('signed');

    const view = await right(s.getProcedure(seller, sent.id));
    expect(view.timeline.map((e) => e.type)).toEqual([
      'procedure_created',
      'invitation_sent',
      'opened',
      'code_sent',
      'code_rejected',
      'code_verified',
      'signed',
      'follow_up_created',
    ]);
    const pdf = await right(s.downloadSignedDocument(seller, sent.id));
    const certificate = await right(s.downloadCertificate(seller, sent.id));
    expect(Buffer.from(pdf.bytes.subarray(0, 5)).toString()).toBe('%PDF-');
    expect(certificate.bytes.length).toBeGreaterThan(1000);
    expect(h.crm.followUpActions).toHaveLength(1);
    expect(h.crm.followUpActions[0]?.assigneeId).toBe('bob');

    await h.putQuote('q2');
    const second = await right(s.send(seller, { quoteId: 'q2', subject: 'Devis 2', body: 'Voici' }));
    h.clock.advanceBy(15 * DAY);
    const late = h.tokenFor(second.id);
    expect((await right(signer.open(late))).status).toBe('expired');
    expect((await left(signer.requestCode(late))).code).toBe('PROCEDURE_EXPIRED');
    expect((await right(s.getProcedure(seller, second.id))).credit).toBe('reserved');
    expect(await right(system.expireDue())).toBe(1);
    expect((await right(s.getProcedure(seller, second.id))).status).toBe('expired');

    const credits = await right(s.getCredits(seller));
    expect(credits).toEqual({ purchased: 3, available: 2, reserved: 0, captured: 1 });
    const entries = await right(() => h.storage.unitOfWork((session) => session.ledger.entries(TENANT))());
    expect(balanceOf(entries)).toEqual(credits);
    const stored = await right(() => h.storage.unitOfWork((session) => session.procedures.get(sent.id))());
    expect(O.isSome(stored) && verifyChain(stored.value.events).valid).toBe(true);
    expect(h.crm.quote(TENANT, 'q1')).not.toHaveProperty('status');
  });
});
