import { deliveryError } from '@paraphe/domain';
import { describe, expect, it } from 'vitest';
import { left, right, seller, TENANT } from '../test-support/harness.js';
import { expectRefusedUnchanged } from '../test-support/observe.js';
import {
  DAY,
  MINUTE,
  readyHarness,
  SECOND,
  scopeOf,
  send,
  signQuote,
  UNKNOWN_TOKEN,
  verify,
} from '../test-support/story.js';

const scope = scopeOf('q1', 'q2');

const opened = async () => {
  const h = await readyHarness();
  const sent = await send(h, 'q1');
  const token = h.tokenFor(sent.id);
  await right(h.paraphe.signer.open(token));
  return { h, id: sent.id, token };
};

const timeline = async (h: Awaited<ReturnType<typeof readyHarness>>, id: string) =>
  (await right(h.paraphe.sender.getProcedure(seller, id))).timeline.map((e) => e.type);

describe('signer use cases', () => {
  it('LINK_INVALID for unknown and malformed tokens, on every signer call', async () => {
    const h = await readyHarness();
    await send(h, 'q1');
    const tokens: ReadonlyArray<unknown> = [
      UNKNOWN_TOKEN,
      'short',
      '',
      '../../etc/passwd',
      'A'.repeat(129),
      undefined,
      42,
    ];
    for (const raw of tokens) {
      const token = raw as string;
      for (const call of [
        h.paraphe.signer.open(token),
        h.paraphe.signer.document(token),
        h.paraphe.signer.requestCode(token),
        h.paraphe.signer.verifyCode(token, '123456'),
        h.paraphe.signer.sign(token, true),
        h.paraphe.signer.decline(token, 'non'),
      ]) {
        await expectRefusedUnchanged(h, scope, 'LINK_INVALID', call);
      }
    }
  });

  it('open moves sent to opened once, with the request context on the timeline', async () => {
    const h = await readyHarness();
    const sent = await send(h, 'q1');
    const token = h.tokenFor(sent.id);
    const page = await right(h.paraphe.signer.open(token, { ip: '203.0.113.7', userAgent: 'Firefox' }));
    expect(page).toMatchObject({
      status: 'opened',
      quoteNumber: 'D-q1',
      senderName: 'Bob Leroy',
      signerName: 'Claire Martin',
      codes: { sent: 0, remaining: 5, retryAfterSeconds: 0, active: false, attemptsLeft: 0 },
    });
    await right(h.paraphe.signer.open(token));
    const view = await right(h.paraphe.sender.getProcedure(seller, sent.id));
    expect(view.timeline.filter((e) => e.type === 'opened')).toEqual([
      expect.objectContaining({ ip: '203.0.113.7', userAgent: 'Firefox', actor: 'signer' }),
    ]);
  });

  it('document gives the frozen original before signature, the signed PDF after', async () => {
    const h = await readyHarness();
    const sent = await send(h, 'q2');
    const before = await right(h.paraphe.signer.document(h.tokenFor(sent.id)));
    expect(before).toMatchObject({ fileName: 'q2.pdf', contentType: 'application/pdf' });
    expect(
      Buffer.from(before.bytes).equals(Buffer.from(h.crm.quote(TENANT, 'q2')?.document?.bytes ?? [])),
    ).toBe(true);
    // The CRM changing its PDF later changes nothing for the signer.
    await h.putQuote('q2', { document: { fileName: 'q2.pdf', bytes: new Uint8Array([1, 2, 3]) } });
    expect((await right(h.paraphe.signer.document(h.tokenFor(sent.id)))).bytes).toEqual(before.bytes);
    const { token } = await signQuote(h, 'q1');
    const after = await right(h.paraphe.signer.document(token));
    expect(after.bytes.length).toBeGreaterThan(before.bytes.length);
  });

  it('document is LINK_INVALID once the link expired or was cancelled, swept or not', async () => {
    const h = await readyHarness();
    const expiring = await send(h, 'q1');
    const cancelled = await send(h, 'q2');
    await right(h.paraphe.sender.cancel(seller, cancelled.id));
    expect((await left(h.paraphe.signer.document(h.tokenFor(cancelled.id)))).code).toBe('LINK_INVALID');
    h.clock.advanceBy(16 * DAY);
    expect((await left(h.paraphe.signer.document(h.tokenFor(expiring.id)))).code).toBe('LINK_INVALID');
  });

  describe('requestCode', () => {
    it('sends a code by SMS and shows it on the page; opens a sent procedure on the way', async () => {
      const h = await readyHarness();
      const sent = await send(h, 'q1');
      const page = await right(h.paraphe.signer.requestCode(h.tokenFor(sent.id)));
      expect(page).toMatchObject({
        status: 'opened',
        codes: { sent: 1, remaining: 4, retryAfterSeconds: 30, active: true, attemptsLeft: 3 },
      });
      expect(h.sms.sent).toHaveLength(1);
      expect(h.sms.sent[0]).toMatchObject({ to: '+33612345678', procedureId: sent.id });
      expect(h.sms.sent[0]?.text).toMatch(/^Votre code de signature .*: \d{6}\. Il expire dans 5 minutes\./);
    });

    it('CODE_COOLDOWN within 30 s of the last code', async () => {
      const { h, token } = await opened();
      await right(h.paraphe.signer.requestCode(token));
      h.clock.advanceBy(29 * SECOND);
      const error = await expectRefusedUnchanged(
        h,
        scope,
        'CODE_COOLDOWN',
        h.paraphe.signer.requestCode(token),
      );
      expect(error.details).toEqual({ retryAfterSeconds: 1 });
      h.clock.advanceBy(SECOND);
      await right(h.paraphe.signer.requestCode(token));
    });

    it('CODE_LIMIT_REACHED after five codes', async () => {
      const { h, token } = await opened();
      for (let i = 0; i < 5; i++) {
        await right(h.paraphe.signer.requestCode(token));
        h.clock.advanceBy(MINUTE);
      }
      await expectRefusedUnchanged(h, scope, 'CODE_LIMIT_REACHED', h.paraphe.signer.requestCode(token));
    });

    it('PROCEDURE_EXPIRED after the deadline, even before the sweep', async () => {
      const { h, token } = await opened();
      h.clock.advanceBy(15 * DAY);
      await expectRefusedUnchanged(h, scope, 'PROCEDURE_EXPIRED', h.paraphe.signer.requestCode(token));
      expect((await right(h.paraphe.signer.open(token))).status).toBe('expired');
    });

    it('DELIVERY_FAILURE when the SMS fails: the failure is on the timeline and the signer may ask again after the cooldown', async () => {
      const { h, id, token } = await opened();
      h.sms.failNext(deliveryError(true, 'HTTP_503'));
      const error = await left(h.paraphe.signer.requestCode(token));
      expect(error).toMatchObject({ code: 'DELIVERY_FAILURE', details: { reason: 'HTTP_503' } });
      expect(await timeline(h, id)).toEqual(expect.arrayContaining(['code_sent', 'code_send_failed']));
      expect(h.sms.sent).toEqual([]);
      await expectRefusedUnchanged(h, scope, 'CODE_COOLDOWN', h.paraphe.signer.requestCode(token));
      h.clock.advanceBy(30 * SECOND);
      await right(h.paraphe.signer.requestCode(token));
      expect(await right(h.paraphe.signer.verifyCode(token, h.lastCode(id)))).toEqual({
        outcome: 'verified',
      });
    });
  });

  describe('verifyCode', () => {
    it('NO_ACTIVE_CODE before any code was asked for', async () => {
      const { h, token } = await opened();
      await expectRefusedUnchanged(h, scope, 'NO_ACTIVE_CODE', h.paraphe.signer.verifyCode(token, '123456'));
    });

    it('counts wrong codes, then the code is dead: NO_ACTIVE_CODE', async () => {
      const { h, id, token } = await opened();
      await right(h.paraphe.signer.requestCode(token));
      const code = h.lastCode(id);
      const wrong = code === '000000' ? '111111' : '000000';
      expect(await right(h.paraphe.signer.verifyCode(token, wrong))).toEqual({
        outcome: 'rejected',
        attemptsLeft: 2,
      });
      expect(await right(h.paraphe.signer.verifyCode(token, wrong))).toEqual({
        outcome: 'rejected',
        attemptsLeft: 1,
      });
      expect(await right(h.paraphe.signer.verifyCode(token, wrong))).toEqual({
        outcome: 'rejected',
        attemptsLeft: 0,
      });
      await expectRefusedUnchanged(h, scope, 'NO_ACTIVE_CODE', h.paraphe.signer.verifyCode(token, code));
    });

    it('CODE_EXPIRED five minutes after it was sent', async () => {
      const { h, id, token } = await opened();
      await right(h.paraphe.signer.requestCode(token));
      h.clock.advanceBy(5 * MINUTE);
      await expectRefusedUnchanged(
        h,
        scope,
        'CODE_EXPIRED',
        h.paraphe.signer.verifyCode(token, h.lastCode(id)),
      );
    });

    it('a superseded code no longer works; the new one does, with spaces around it', async () => {
      const { h, id, token } = await opened();
      await right(h.paraphe.signer.requestCode(token));
      const old = h.lastCode(id);
      h.clock.advanceBy(30 * SECOND);
      await right(h.paraphe.signer.requestCode(token));
      const fresh = h.lastCode(id);
      if (old !== fresh)
        expect((await right(h.paraphe.signer.verifyCode(token, old))).outcome).toBe('rejected');
      expect(await right(h.paraphe.signer.verifyCode(token, ` ${fresh} `))).toEqual({ outcome: 'verified' });
      expect(h.crm.notifications.map((n) => n.status)).toContain('verified');
    });

    it('INVALID_INPUT for a code that is not a short string', async () => {
      const { h, token } = await opened();
      await right(h.paraphe.signer.requestCode(token));
      for (const code of ['1'.repeat(33), 123456, undefined]) {
        await expectRefusedUnchanged(
          h,
          scope,
          'INVALID_INPUT',
          h.paraphe.signer.verifyCode(token, code as string),
        );
      }
    });

    it('TRANSITION_NOT_ALLOWED once verified', async () => {
      const h = await readyHarness();
      const sent = await send(h, 'q1');
      const token = await verify(h, sent.id);
      await expectRefusedUnchanged(
        h,
        scope,
        'TRANSITION_NOT_ALLOWED',
        h.paraphe.signer.verifyCode(token, h.lastCode(sent.id)),
      );
    });
  });

  describe('sign', () => {
    it('CODE_NOT_VERIFIED before the code, CONSENT_REQUIRED without consent', async () => {
      const { h, id, token } = await opened();
      await expectRefusedUnchanged(h, scope, 'CODE_NOT_VERIFIED', h.paraphe.signer.sign(token, true));
      await right(h.paraphe.signer.requestCode(token));
      await expectRefusedUnchanged(h, scope, 'CODE_NOT_VERIFIED', h.paraphe.signer.sign(token, true));
      await right(h.paraphe.signer.verifyCode(token, h.lastCode(id)));
      await expectRefusedUnchanged(h, scope, 'CONSENT_REQUIRED', h.paraphe.signer.sign(token, false));
      // Consent is a boolean: anything else is a programming error of the page, not a refusal to consent.
      await expectRefusedUnchanged(h, scope, 'INVALID_INPUT', h.paraphe.signer.sign(token, 'yes' as never));
    });

    it('PROCEDURE_ENDED once signed; PROCEDURE_EXPIRED after the deadline', async () => {
      const h = await readyHarness();
      const { token } = await signQuote(h, 'q1');
      await expectRefusedUnchanged(h, scope, 'PROCEDURE_ENDED', h.paraphe.signer.sign(token, true));
      await expectRefusedUnchanged(h, scope, 'PROCEDURE_ENDED', h.paraphe.signer.decline(token, 'non'));
      await expectRefusedUnchanged(h, scope, 'PROCEDURE_ENDED', h.paraphe.signer.requestCode(token));
      const sent = await send(h, 'q2');
      const late = await verify(h, sent.id);
      h.clock.advanceBy(15 * DAY);
      await expectRefusedUnchanged(h, scope, 'PROCEDURE_EXPIRED', h.paraphe.signer.sign(late, true));
    });

    it('two concurrent signatures capture the credit once', async () => {
      const h = await readyHarness();
      const sent = await send(h, 'q1');
      const token = await verify(h, sent.id);
      const results = await Promise.all([
        h.paraphe.signer.sign(token, true)(),
        h.paraphe.signer.sign(token, true)(),
      ]);
      expect(results.filter((r) => r._tag === 'Right')).toHaveLength(1);
      expect(await right(h.paraphe.sender.getCredits(seller))).toEqual({
        purchased: 3,
        available: 2,
        reserved: 0,
        captured: 1,
      });
    });
  });

  describe('decline', () => {
    it('ends the procedure with the reason, releases the credit and tells the sender', async () => {
      const { h, id, token } = await opened();
      const page = await right(
        h.paraphe.signer.decline(token, '  Prix trop élevé  ', { ip: '198.51.100.1' }),
      );
      expect(page.status).toBe('declined');
      const view = await right(h.paraphe.sender.getProcedure(seller, id));
      expect(view).toMatchObject({
        status: 'declined',
        declineReason: 'Prix trop élevé',
        credit: 'released',
      });
      expect(await right(h.paraphe.sender.getCredits(seller))).toEqual({
        purchased: 3,
        available: 3,
        reserved: 0,
        captured: 0,
      });
      const notice = h.mailer.sent.find((m) => m.kind === 'declined-notification');
      expect(notice).toMatchObject({ to: 'bob@acme.example', subject: 'Offre D-q1 refusée' });
      expect(notice?.text).toContain('Motif : Prix trop élevé');
      await expectRefusedUnchanged(h, scope, 'PROCEDURE_ENDED', h.paraphe.signer.decline(token, undefined));
    });

    it('a signer may decline straight from the email link, without a reason', async () => {
      const h = await readyHarness();
      const sent = await send(h, 'q1');
      expect((await right(h.paraphe.signer.decline(h.tokenFor(sent.id), undefined))).status).toBe('declined');
    });

    it('INVALID_INPUT for a reason over 2000 characters; PROCEDURE_EXPIRED after the deadline', async () => {
      const { h, token } = await opened();
      await expectRefusedUnchanged(
        h,
        scope,
        'INVALID_INPUT',
        h.paraphe.signer.decline(token, 'x'.repeat(2001)),
      );
      h.clock.advanceBy(15 * DAY);
      await expectRefusedUnchanged(h, scope, 'PROCEDURE_EXPIRED', h.paraphe.signer.decline(token, 'non'));
    });
  });
});
