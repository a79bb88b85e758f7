import { headAtSignature } from '@paraphe/domain';
import { describe, expect, it } from 'vitest';
import { right, seller } from '../test-support/harness.js';
import { severalSignersHarness, stored } from '../test-support/several-signers.js';
import { sendInput } from '../test-support/story.js';
import { certificateData } from './certificate-data.js';

const settings = { tenantName: 'Acme', language: 'fr' as const };
const sender = { id: 'bob', name: 'Bob Leroy', email: 'bob@acme.example' };

describe('the certificate data of several signers', () => {
  it('states every signer with their own identity check, consent, time, IP and user agent', async () => {
    const h = await severalSignersHarness();
    const { signer } = h.paraphe;
    const sent = await right(
      h.paraphe.sender.send(seller, sendInput('q1', { signers: { contactIds: ['c-1', 'c-2'] } })),
    );
    // Signer 1: two codes (the first typed wrong once), from one browser.
    const first = h.tokenOf(sent.id, 0);
    const firstContext = { ip: '198.51.100.1', userAgent: 'Firefox' };
    await right(signer.open(first, firstContext));
    await right(signer.requestCode(first, firstContext));
    await right(signer.verifyCode(first, '000000', firstContext));
    h.clock.advanceBy(31_000);
    await right(signer.requestCode(first, firstContext));
    await right(signer.verifyCode(first, h.codeOf(sent.id, 0), firstContext));
    await right(signer.sign(first, true, firstContext));
    h.clock.advanceBy(3_600_000);
    // Signer 2: one code, another browser.
    const second = h.tokenOf(sent.id, 1);
    const secondContext = { ip: '198.51.100.2', userAgent: 'Safari' };
    await right(signer.open(second, secondContext));
    await right(signer.requestCode(second, secondContext));
    await right(signer.verifyCode(second, h.codeOf(sent.id, 1), secondContext));
    await right(signer.sign(second, true, secondContext));

    const procedure = await stored(h, sent.id);
    const data = certificateData(procedure, sender, settings, 1);
    expect(data.signingOrder).toBe('sequential');
    expect(data.signers.map((s) => [s.name, s.email, s.role, s.ip, s.userAgent])).toEqual([
      ['Claire Martin', 'claire.martin@example.fr', 'contact', '198.51.100.1', 'Firefox'],
      ['Paul Durand', 'paul.durand@example.fr', 'contact', '198.51.100.2', 'Safari'],
    ]);
    expect(data.signers.map((s) => s.identityCheck.codesSentAt.length)).toEqual([2, 1]);
    expect(data.signers.map((s) => s.identityCheck.wrongAttempts)).toEqual([1, 0]);
    expect(data.signers[0]?.maskedMobile).toMatch(/78$/);
    expect(data.signers[1]?.maskedMobile).toMatch(/32$/);
    expect(data.signers[0]?.identityCheck.maskedMobile).toBe(data.signers[0]?.maskedMobile);
    const [one, two] = procedure.signers;
    if (one?.status !== 'signed' || two?.status !== 'signed') throw new Error('both signed');
    expect(data.signers.map((s) => s.signedAt)).toEqual([one.signedAt, two.signedAt]);
    expect(data.signers.map((s) => s.identityCheck.verifiedAt)).toEqual([
      one.sms.verifiedAt,
      two.sms.verifiedAt,
    ]);
    expect(data.signers.every((s) => s.consentText.includes('D-q1'))).toBe(true);
    // The last signature's time, the final PDF, and the chain up to the completing signature.
    expect(data.signedAt).toEqual(two.signedAt);
    expect(procedure.status === 'signed' && data.signedSha256 === procedure.signedSha256).toBe(true);
    expect(data.auditChainHead).toBe(headAtSignature(procedure.events));
    expect(data.events.at(-1)?.type).toBe('signed');
    expect(data.events.at(-1)?.data.signer).toBe(2);
    expect(data.events.filter((e) => e.type === 'signed')).toHaveLength(2);
  });

  it('refuses to state a procedure that is not signed yet', async () => {
    const h = await severalSignersHarness();
    const sent = await right(
      h.paraphe.sender.send(seller, sendInput('q1', { signers: { contactIds: ['c-1', 'c-2'] } })),
    );
    const first = h.tokenOf(sent.id, 0);
    await right(h.paraphe.signer.open(first));
    await right(h.paraphe.signer.requestCode(first));
    await right(h.paraphe.signer.verifyCode(first, h.codeOf(sent.id, 0)));
    await right(h.paraphe.signer.sign(first, true));
    const partly = await stored(h, sent.id);
    expect(() => certificateData(partly, sender, settings, 1)).toThrow(/not signed/);
  });
});
