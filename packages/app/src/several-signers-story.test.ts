import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifySignedPdf } from '@paraphe/adapters/pdf';
import { makeSqliteStorage } from '@paraphe/adapters/sqlite';
import { balanceOf, deliveryError, type ProcedureView, verifyChain } from '@paraphe/domain';
import { describe, expect, it } from 'vitest';
import { deriveSecrets, unsealToken } from './support/secrets.js';
import { type Harness, left, right, SECRET_KEY, seller, TENANT } from './test-support/harness.js';
import { expectRefusedUnchanged } from './test-support/observe.js';
import { severalSignersHarness, stored, THREE_SIGNERS } from './test-support/several-signers.js';
import { scopeOf, sendInput } from './test-support/story.js';

const scope = scopeOf('q1', 'q2', 'q3');

/** Signer `position` opens their link, asks for a code and types it; returns their token. */
const verifySigner = async (h: Harness, id: string, position: number): Promise<string> => {
  const token = h.tokenOf(id, position);
  await right(h.paraphe.signer.open(token, { ip: `203.0.113.${position + 1}`, userAgent: `UA-${position}` }));
  await right(h.paraphe.signer.requestCode(token));
  await right(h.paraphe.signer.verifyCode(token, h.codeOf(id, position)));
  return token;
};

/** A signer's link read from storage (unsealed with the configured key), before any email carried it. */
const storedLink = async (h: Harness, id: string, position: number): Promise<string> => {
  const procedure = await stored(h, id);
  const token = unsealToken(deriveSecrets(SECRET_KEY).linkKey, procedure.signers[position]!.sealedToken, id);
  if (token._tag === 'Left') throw new Error(token.left.code);
  return token.right;
};

const signSigner = async (h: Harness, id: string, position: number) => {
  const token = await verifySigner(h, id, position);
  return right(h.paraphe.signer.sign(token, true, { ip: `203.0.113.${position + 1}` }));
};

const view = (h: Harness, id: string): Promise<ProcedureView> =>
  right(h.paraphe.sender.getProcedure(seller, id));

/** Every signature of a PDF, checked by the adapters' own verifier. */
const signaturesOf = async (bytes: Uint8Array) => {
  const report = await verifySignedPdf(bytes);
  return {
    valid: report.valid,
    signatures: report.signatures.filter((s) => s.kind === 'signature'),
  };
};

/** A waiting signer's every call is refused with NOT_YOUR_TURN and changes nothing. */
const expectNotYourTurn = async (h: Harness, token: string) => {
  const { signer } = h.paraphe;
  for (const call of [
    signer.open(token),
    signer.document(token),
    signer.requestCode(token),
    signer.verifyCode(token, '123456'),
    signer.sign(token, true),
    signer.decline(token, 'no'),
  ])
    await expectRefusedUnchanged(h, scope, 'NOT_YOUR_TURN', call);
};

const releases = async (h: Harness) => {
  const entries = await right(() => h.storage.unitOfWork((session) => session.ledger.entries(TENANT))());
  return { entries, balance: balanceOf(entries) };
};

describe('several signers, end to end through the facade', () => {
  it('in sequence: each link waits for the one before; the last signature signs, captures once, follows up once', async () => {
    const h = await severalSignersHarness();
    const { sender, signer } = h.paraphe;
    const sent = await right(sender.send(seller, sendInput('q1', { signers: THREE_SIGNERS })));
    expect(sent.signingOrder).toBe('sequential');
    expect(sent.signers.map((s) => [s.position, s.role, s.status])).toEqual([
      [0, 'contact', 'sent'],
      [1, 'contact', 'waiting'],
      [2, 'countersigner', 'waiting'],
    ]);
    // Signer 2 holds a link (sealed on the procedure) but no invitation yet; the link itself is refused.
    expect(() => h.tokenOf(sent.id, 1)).toThrow();
    await expectNotYourTurn(h, await storedLink(h, sent.id, 1));

    const first = await signSigner(h, sent.id, 0);
    expect(first.status).toBe('signed');
    expect(first.position).toBe(0);
    // The page is the commit's: signer 2's invitation is queued (`pending`), it leaves just after.
    expect(first.signers.map((s) => [s.name, s.status])).toEqual([
      ['Claire Martin', 'signed'],
      ['Paul Durand', 'pending'],
      ['Dan Morel', 'waiting'],
    ]);
    expect(first.signers[1]).not.toHaveProperty('email');

    // Mid-way: one signature, no certificate, no follow-up, no email to the sender; the CRM heard of it.
    const midway = await view(h, sent.id);
    expect(midway.status).toBe('sent');
    expect(midway.credit).toBe('reserved');
    expect(midway.signers.map((s) => s.status)).toEqual(['signed', 'sent', 'waiting']);
    expect(midway.signers[0]?.signedAt).toBeInstanceOf(Date);
    expect(midway).not.toHaveProperty('signedAt');
    expect(midway).not.toHaveProperty('auditChainHeadAtSignature');
    expect(midway.timeline.some((e) => e.headAtSignature)).toBe(false);
    const partly = await right(sender.downloadSignedDocument(seller, sent.id));
    const partlyChecked = await signaturesOf(partly.bytes);
    expect(partlyChecked.valid).toBe(true);
    expect(partlyChecked.signatures).toHaveLength(1);
    expect((await left(sender.downloadCertificate(seller, sent.id))).code).toBe('DOCUMENT_NOT_AVAILABLE');
    expect(h.crm.followUpActions).toHaveLength(0);
    expect(h.mailer.sent.filter((m) => m.kind === 'signed-notification')).toHaveLength(0);
    const signedNotice = h.crm.notifications.find((n) => n.type === 'signed');
    // At the signature the procedure stands where signer 2 does: their invitation queued.
    expect(signedNotice).toMatchObject({
      status: 'pending',
      signer: { position: 0, name: 'Claire Martin' },
      signers: { signed: 1, total: 3 },
    });
    // Signer 2's invitation went out with the sender's words; signer 3 still waits.
    const second = h.mailer.sent.filter((m) => m.kind === 'invitation' && m.signerPosition === 1);
    expect(second).toHaveLength(1);
    expect(second[0]).toMatchObject({ to: 'paul.durand@example.fr', subject: 'Devis q1' });
    const stillWaiting = await stored(h, sent.id);
    expect(stillWaiting.signers[2]?.status).toBe('waiting');

    // Signer 2 reads the partly signed PDF, signs; the countersigner's link was refused until then.
    const secondToken = h.tokenOf(sent.id, 1);
    expect((await right(signer.document(secondToken))).bytes).toEqual(partly.bytes);
    await signSigner(h, sent.id, 1);
    const last = await signSigner(h, sent.id, 2);
    expect(last.status).toBe('signed');

    const done = await view(h, sent.id);
    expect(done.status).toBe('signed');
    expect(done.credit).toBe('captured');
    expect(done.signers.every((s) => s.status === 'signed')).toBe(true);
    const signedEvents = done.timeline.filter((e) => e.type === 'signed');
    expect(signedEvents.map((e) => e.data.signer)).toEqual([1, 2, 3]);
    // Only the completing signature is the head the certificate prints.
    expect(done.timeline.filter((e) => e.headAtSignature).map((e) => e.hash)).toEqual([
      signedEvents[2]?.hash,
    ]);
    expect(done.auditChainHeadAtSignature).toBe(signedEvents[2]?.hash);
    expect((await right(sender.getCredits(seller))).captured).toBe(1);
    const { entries, balance } = await releases(h);
    expect(entries.filter((e) => e.kind === 'captured')).toHaveLength(1);
    expect(balance).toEqual({ purchased: 3, available: 2, reserved: 0, captured: 1 });
    expect(h.crm.followUpActions).toHaveLength(1);
    const signedEmails = h.mailer.sent.filter((m) => m.kind === 'signed-notification');
    expect(signedEmails).toHaveLength(1);
    expect(signedEmails[0]?.text).toContain('Tous les signataires');
    expect(signedEmails[0]?.text).toContain('Claire Martin, Paul Durand, Dan Morel');
    expect(h.crm.notifications.filter((n) => n.type === 'signed').map((n) => n.signers)).toEqual([
      { signed: 1, total: 3 },
      { signed: 2, total: 3 },
      { signed: 3, total: 3 },
    ]);

    const final = await right(sender.downloadSignedDocument(seller, sent.id));
    const checked = await signaturesOf(final.bytes);
    expect(checked.valid).toBe(true);
    expect(checked.signatures).toHaveLength(3);
    expect(checked.signatures.every((s) => s.cryptographicallyValid)).toBe(true);
    expect(checked.signatures.at(-1)?.coversWholeDocument).toBe(true);
    expect(final.bytes.subarray(0, partly.bytes.length)).toEqual(partly.bytes);
    const certificate = await right(sender.downloadCertificate(seller, sent.id));
    expect(certificate.bytes.length).toBeGreaterThan(1000);
    expect(verifyChain((await stored(h, sent.id)).events).valid).toBe(true);
  });

  it('in sequence: a link whose turn has not come is refused NOT_YOUR_TURN on every call, and changes nothing', async () => {
    const h = await severalSignersHarness();
    const sent = await right(h.paraphe.sender.send(seller, sendInput('q1', { signers: THREE_SIGNERS })));
    const third = await storedLink(h, sent.id, 2);
    await expectNotYourTurn(h, third);
    await signSigner(h, sent.id, 0);
    await verifySigner(h, sent.id, 1);
    await expectNotYourTurn(h, third);
    // Past the deadline a waiting link learns only that the procedure expired.
    h.clock.advanceBy(16 * 24 * 3600 * 1000);
    await expectRefusedUnchanged(h, scope, 'PROCEDURE_EXPIRED', h.paraphe.signer.open(third));
  });

  it('in parallel: everyone is invited at once; two signing at the same moment both end up in the PDF', async () => {
    const h = await severalSignersHarness();
    const { sender, signer } = h.paraphe;
    const sent = await right(
      sender.send(seller, sendInput('q1', { signers: { ...THREE_SIGNERS, order: 'parallel' } })),
    );
    expect(sent.signingOrder).toBe('parallel');
    expect(sent.signers.map((s) => s.status)).toEqual(['sent', 'sent', 'sent']);

    // Signer 3 opens first: their page moves on while the procedure waits on the others.
    const third = h.tokenOf(sent.id, 2);
    const page = await right(signer.open(third));
    expect(page.status).toBe('opened');
    expect(page.position).toBe(2);
    expect((await view(h, sent.id)).status).toBe('sent');

    const [a, b] = await Promise.all([verifySigner(h, sent.id, 0), verifySigner(h, sent.id, 1)]);
    const both = await Promise.all([signer.sign(a, true)(), signer.sign(b, true)()]);
    expect(both.map((r) => r._tag)).toEqual(['Right', 'Right']);
    const midway = await stored(h, sent.id);
    expect(midway.signers.map((s) => s.status)).toEqual(['signed', 'signed', 'opened']);
    const partly = await signaturesOf((await right(sender.downloadSignedDocument(seller, sent.id))).bytes);
    expect(partly.valid).toBe(true);
    expect(partly.signatures).toHaveLength(2);
    // Each signature is told to the CRM, even the one that left the procedure's status as it was.
    const signedNotices = h.crm.notifications.filter((n) => n.type === 'signed');
    expect(signedNotices.map((n) => [n.status, n.signers?.signed])).toEqual([
      ['opened', 1],
      ['opened', 2],
    ]);
    expect(signedNotices.map((n) => n.signer?.position).sort()).toEqual([0, 1]);
    // No invitation is queued by a parallel signature: everyone had theirs.
    expect(h.mailer.sent.filter((m) => m.kind === 'invitation')).toHaveLength(3);

    await right(signer.requestCode(third));
    await right(signer.verifyCode(third, h.codeOf(sent.id, 2)));
    await right(signer.sign(third, true));
    const done = await view(h, sent.id);
    expect(done.status).toBe('signed');
    const final = await signaturesOf((await right(sender.downloadSignedDocument(seller, sent.id))).bytes);
    expect(final.valid).toBe(true);
    expect(final.signatures).toHaveLength(3);
    expect(h.crm.followUpActions).toHaveLength(1);
    expect((await releases(h)).entries.filter((e) => e.kind === 'captured')).toHaveLength(1);
  });

  it('a decline by signer 2 ends it for everyone: credit released once, the later link dead', async () => {
    const h = await severalSignersHarness();
    const { sender, signer } = h.paraphe;
    const sent = await right(sender.send(seller, sendInput('q1', { signers: THREE_SIGNERS })));
    const firstToken = (await signSigner(h, sent.id, 0)) && h.tokenOf(sent.id, 0);
    const second = h.tokenOf(sent.id, 1);
    await right(signer.open(second));
    const declined = await right(signer.decline(second, 'Pas d’accord'));
    expect(declined.status).toBe('declined');
    expect(declined.position).toBe(1);

    const ended = await view(h, sent.id);
    expect(ended.status).toBe('declined');
    expect(ended.credit).toBe('released');
    expect(ended.declineReason).toBe('Pas d’accord');
    expect(ended.signers.map((s) => s.status)).toEqual(['signed', 'declined', 'waiting']);
    expect(ended.signers[1]?.declinedAt).toBeInstanceOf(Date);
    const { entries, balance } = await releases(h);
    expect(entries.filter((e) => e.kind === 'released')).toHaveLength(1);
    expect(balance).toEqual({ purchased: 3, available: 3, reserved: 0, captured: 0 });
    const notice = h.mailer.sent.filter((m) => m.kind === 'declined-notification');
    expect(notice).toHaveLength(1);
    expect(notice[0]?.text).toContain('Paul Durand');
    expect(h.crm.notifications.find((n) => n.type === 'declined')).toMatchObject({
      status: 'declined',
      signer: { position: 1, name: 'Paul Durand' },
      signers: { signed: 1, total: 3 },
    });

    // Every link is dead: the one who signed sees the end, the one who declined cannot act again.
    expect((await right(signer.open(firstToken))).status).toBe('declined');
    await expectRefusedUnchanged(h, scope, 'PROCEDURE_ENDED', signer.requestCode(second));
    expect((await left(sender.downloadCertificate(seller, sent.id))).code).toBe('DOCUMENT_NOT_AVAILABLE');
  });

  it('the sender cancels mid-way: the credit comes back once, the next signer is refused, the partial PDF stays', async () => {
    const h = await severalSignersHarness();
    const { sender, signer } = h.paraphe;
    const sent = await right(sender.send(seller, sendInput('q1', { signers: THREE_SIGNERS })));
    await signSigner(h, sent.id, 0);
    const second = await verifySigner(h, sent.id, 1);
    const cancelled = await right(sender.cancel(seller, sent.id, 'Offre revue'));
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.signers.map((s) => s.status)).toEqual(['signed', 'verified', 'waiting']);
    await expectRefusedUnchanged(h, scope, 'PROCEDURE_ENDED', signer.sign(second, true));
    const { entries, balance } = await releases(h);
    expect(entries.filter((e) => e.kind === 'released')).toHaveLength(1);
    expect(balance.reserved).toBe(0);
    expect(balance.captured).toBe(0);
    const partly = await signaturesOf((await right(sender.downloadSignedDocument(seller, sent.id))).bytes);
    expect(partly.signatures).toHaveLength(1);
    expect((await left(sender.downloadCertificate(seller, sent.id))).code).toBe('DOCUMENT_NOT_AVAILABLE');
    expect(h.crm.followUpActions).toHaveLength(0);
  });

  it('a later signer whose invitation left but was not recorded arrives by their link: marked sent, never invited twice', async () => {
    const h = await severalSignersHarness({ dispatch: 'manual' });
    const { sender, signer, system } = h.paraphe;
    const sent = await right(
      sender.send(seller, sendInput('q1', { signers: { contactIds: ['c-1', 'c-2'] } })),
    );
    await right(system.dispatchOutbox());
    await signSigner(h, sent.id, 0);
    // Signer 2's invitation is queued (`pending`); their link reaches them all the same (the test reads it).
    expect((await stored(h, sent.id)).signers[1]?.status).toBe('pending');
    const page = await right(signer.open(await storedLink(h, sent.id, 1)));
    expect(page.status).toBe('opened');
    expect(page.position).toBe(1);
    const after = await stored(h, sent.id);
    expect(after.signers.map((s) => s.status)).toEqual(['signed', 'opened']);
    expect(after.events.slice(-2).map((e) => [e.type, e.data.signer])).toEqual([
      ['invitation_sent', 2],
      ['opened', 2],
    ]);
    // Their invitation is recorded delivered (not given up), so it never leaves.
    const outbox = await right(() => h.storage.unitOfWork((session) => session.outbox.list())());
    const invitation = outbox.find((r) => r.message.id === `${sent.id}.invitation-2`);
    expect(invitation?.status).toBe('delivered');
    expect(invitation?.lastError).toBeUndefined();
    await right(system.dispatchOutbox());
    expect(h.mailer.sent.filter((m) => m.kind === 'invitation' && m.signerPosition === 1)).toHaveLength(0);
  });

  it('on SQLite, two parallel signers signing at the same moment both end up in the final PDF', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'paraphe-parallel-'));
    try {
      const h = await severalSignersHarness({
        storage: makeSqliteStorage({ filename: join(directory, 'parallel.db') }),
      });
      const sent = await right(
        h.paraphe.sender.send(
          seller,
          sendInput('q1', { signers: { contactIds: ['c-1', 'c-2'], order: 'parallel' } }),
        ),
      );
      const [a, b] = [await verifySigner(h, sent.id, 0), await verifySigner(h, sent.id, 1)];
      const both = await Promise.all([h.paraphe.signer.sign(a, true)(), h.paraphe.signer.sign(b, true)()]);
      expect(both.map((r) => r._tag)).toEqual(['Right', 'Right']);
      expect((await view(h, sent.id)).status).toBe('signed');
      const final = await signaturesOf(
        (await right(h.paraphe.sender.downloadSignedDocument(seller, sent.id))).bytes,
      );
      expect(final.valid).toBe(true);
      expect(final.signatures).toHaveLength(2);
      expect(h.crm.followUpActions).toHaveLength(1);
      await h.paraphe.close();
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('each signer’s code goes to their own mobile and counts for them only: another signer’s code is wrong', async () => {
    const h = await severalSignersHarness();
    const { sender, signer } = h.paraphe;
    const sent = await right(
      sender.send(seller, sendInput('q1', { signers: { contactIds: ['c-1', 'c-2'], order: 'parallel' } })),
    );
    const [first, second] = [h.tokenOf(sent.id, 0), h.tokenOf(sent.id, 1)];
    for (const token of [first, second]) {
      await right(signer.open(token));
      await right(signer.requestCode(token));
    }
    expect(h.sms.sent.map((m) => [m.id, m.to])).toEqual([
      [`${sent.id}.code-1`, '+33612345678'],
      [`${sent.id}.code-1-1`, '+33698765432'],
    ]);
    const firstCode = h.codeOf(sent.id, 0);
    const secondCode = h.codeOf(sent.id, 1);
    // Each signer's code is checked against their own code state only (the seeded random draws different digits).
    expect(firstCode).not.toBe(secondCode);
    expect(await right(signer.verifyCode(second, firstCode))).toEqual({
      outcome: 'rejected',
      attemptsLeft: 2,
    });
    expect(await right(signer.verifyCode(second, secondCode))).toEqual({ outcome: 'verified' });
    const page = await right(signer.open(second));
    expect(page.status).toBe('verified');
    expect(page.maskedMobile).toMatch(/32$/);
    expect(page.codes.sent).toBe(1);
    // A lost SMS goes on the timeline naming its signer.
    h.sms.failNext(deliveryError(true, 'HTTP_503'));
    h.clock.advanceBy(31_000);
    expect((await left(signer.requestCode(first))).code).toBe('DELIVERY_FAILURE');
    const lost = (await stored(h, sent.id)).events.filter((e) => e.type === 'code_send_failed');
    expect(lost.map((e) => e.data)).toEqual([{ reason: 'HTTP_503', signer: 1 }]);
    // Signer 1 is where they were: opened.
    expect((await right(signer.open(first))).status).toBe('opened');
  });
});
