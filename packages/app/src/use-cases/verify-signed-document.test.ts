import { describe, expect, it } from 'vitest';
import { left, right, seller } from '../test-support/harness.js';
import { readyHarness, send, signQuote } from '../test-support/story.js';

describe('the sender verifies a signed PDF against the procedure', () => {
  it('finds the PDF Paraphe sealed valid, with the original inside and the very bytes it produced', async () => {
    const h = await readyHarness();
    const { id } = await signQuote(h, 'q1');
    const signed = await right(h.paraphe.sender.downloadSignedDocument(seller, id));
    const report = await right(h.paraphe.sender.verifySignedDocument(seller, id, signed.bytes));
    expect(report).toMatchObject({ valid: true, originalMatches: true, signedMatches: true });
    expect(report.signatures).toHaveLength(1);
    expect(report.signatures[0]).toMatchObject({ valid: true, problems: [] });
  });

  it('refuses a copy with one byte changed, and another procedure’s signed PDF', async () => {
    const h = await readyHarness();
    const first = await signQuote(h, 'q1');
    const second = await signQuote(h, 'q2');
    const signed = (await right(h.paraphe.sender.downloadSignedDocument(seller, first.id))).bytes;
    const tampered = signed.slice();
    const at = signed.length - 200;
    tampered[at] = (tampered[at] ?? 0) ^ 0x01;
    expect(await right(h.paraphe.sender.verifySignedDocument(seller, first.id, tampered))).toMatchObject({
      valid: false,
      signedMatches: false,
    });
    // The harness's quotes share one PDF, so the original is found; the sealed bytes are the other procedure's.
    const other = await right(h.paraphe.sender.verifySignedDocument(seller, second.id, signed));
    expect(other).toMatchObject({ valid: false, originalMatches: true, signedMatches: false });
  });

  it('checks the certificate too: its signatures, the evidence it carries, against this procedure', async () => {
    const h = await readyHarness();
    const first = await signQuote(h, 'q1');
    const second = await signQuote(h, 'q2');
    const signed = (await right(h.paraphe.sender.downloadSignedDocument(seller, first.id))).bytes;
    const certificate = (await right(h.paraphe.sender.downloadCertificate(seller, first.id))).bytes;
    const report = await right(h.paraphe.sender.verifySignedDocument(seller, first.id, signed, certificate));
    expect(report.valid).toBe(true);
    const names = new Set(report.checks.map((c) => c.name));
    for (const name of [
      'cms-signature',
      'evidence-attached',
      'audit-chain',
      'evidence-procedure',
      'evidence-head',
    ])
      expect(names).toContain(name);
    expect(report.checks.every((c) => c.ok)).toBe(true);
    expect(report.checks.filter((c) => c.file === 'certificate' && c.name === 'cms-signature')).toHaveLength(
      1,
    );

    const otherCertificate = (await right(h.paraphe.sender.downloadCertificate(seller, second.id))).bytes;
    const mixed = await right(
      h.paraphe.sender.verifySignedDocument(seller, first.id, signed, otherCertificate),
    );
    expect(mixed.valid).toBe(false);
    expect(mixed.checks.filter((c) => !c.ok).map((c) => c.name)).toEqual(
      expect.arrayContaining(['evidence-procedure', 'signed-sha256']),
    );
    expect(
      await left(h.paraphe.sender.verifySignedDocument(seller, first.id, signed, 'JVBERi0=' as never)),
    ).toMatchObject({ code: 'INVALID_INPUT', details: { fields: 'certificate' } });
  });

  it('is DOCUMENT_NOT_AVAILABLE before signature, INVALID_INPUT for what is not bytes', async () => {
    const h = await readyHarness();
    const view = await send(h, 'q1');
    const bytes = new Uint8Array([37, 80, 68, 70]);
    expect(await left(h.paraphe.sender.verifySignedDocument(seller, view.id, bytes))).toMatchObject({
      code: 'DOCUMENT_NOT_AVAILABLE',
    });
    for (const pdf of ['JVBERi0=', [37, 80], null])
      expect(await left(h.paraphe.sender.verifySignedDocument(seller, view.id, pdf as never))).toMatchObject({
        code: 'INVALID_INPUT',
      });
  });
});
