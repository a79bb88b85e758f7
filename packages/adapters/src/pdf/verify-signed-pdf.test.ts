import { sha256Hex } from '@paraphe/domain';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateDevelopmentSigningIdentity } from './development-identity.js';
import { makePadesDocumentSealer } from './pades-document-sealer.js';
import { onePagePdf, realWorldSamples } from './test-support/corpus.js';
import { sealRequestFor } from './test-support/seal-request.js';
import { verifySignedPdf } from './verify-signed-pdf.js';

describe('verifySignedPdf', () => {
  let original: Uint8Array;
  let sealed: Uint8Array;

  beforeAll(async () => {
    const sealer = makePadesDocumentSealer({ identity: await generateDevelopmentSigningIdentity() });
    original = await onePagePdf();
    const result = await sealer.seal(sealRequestFor(original))();
    if (E.isLeft(result)) throw new Error(result.left.code);
    sealed = result.right;
  });

  it('reports a sealed document as valid, with its signer, time and certificate', async () => {
    const report = await verifySignedPdf(sealed, {
      originalSha256: sha256Hex(original),
      signedSha256: sha256Hex(sealed),
    });
    expect(report.valid).toBe(true);
    expect(report.originalMatches).toBe(true);
    expect(report.signedMatches).toBe(true);
    const [signature] = report.signatures;
    expect(signature).toMatchObject({
      cryptographicallyValid: true,
      coversWholeDocument: true,
      subFilter: 'ETSI.CAdES.detached',
      signerName: 'Zoé Lefèvre-Łukasz',
      signingTime: new Date('2025-03-12T13:05:09Z'),
    });
    expect(signature?.certificateSubject).toContain('Paraphe DEVELOPMENT');
    expect(signature?.certificateSha256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  });

  // Pinned from the corpus (already-signed-offer.pdf): the original ends with an end-of-line after %%EOF and the update
  // starts with one of its own; the original is the prefix between the two, neither at %%EOF nor at the update's start.
  it('finds an original whose end-of-line runs into the update', async () => {
    const sealer = makePadesDocumentSealer({ identity: await generateDevelopmentSigningIdentity() });
    const withEol = new Uint8Array([...original, 0x0d, 0x0a]);
    const result = await sealer.seal(sealRequestFor(withEol))();
    if (E.isLeft(result)) throw new Error(result.left.code);
    const report = await verifySignedPdf(result.right, { originalSha256: sha256Hex(withEol) });
    expect(report).toMatchObject({ valid: true, originalMatches: true });
  });

  it('reports a wrong original or signed hash', async () => {
    const other = '0'.repeat(64);
    expect((await verifySignedPdf(sealed, { originalSha256: other })).valid).toBe(false);
    expect((await verifySignedPdf(sealed, { signedSha256: other })).valid).toBe(false);
  });

  it('reports unsigned and appended-to documents as not valid', async () => {
    expect((await verifySignedPdf(original)).valid).toBe(false);
    const appended = new Uint8Array([...sealed, ...new TextEncoder().encode('\n% appended\n')]);
    const report = await verifySignedPdf(appended);
    expect(report.valid).toBe(false);
    expect(report.signatures[0]?.cryptographicallyValid).toBe(true);
    expect(report.signatures[0]?.coversWholeDocument).toBe(false);
  });

  it('keeps the poppler signature of a pre-signed sample verifiable', async () => {
    const signed = realWorldSamples().find((s) => s.name === 'already-signed-offer.pdf');
    if (signed === undefined) return;
    const report = await verifySignedPdf(signed.bytes);
    expect(report.signatures[0]?.cryptographicallyValid).toBe(true);
  });

  it('detects a one-byte edit anywhere in the signed range', async () => {
    const [, holeStart, holeEnd] = (await verifySignedPdf(sealed)).signatures[0]!.byteRange;
    const signedOffset = fc
      .integer({ min: 0, max: sealed.length - 1 - (holeEnd - holeStart) })
      .map((i) => (i < holeStart ? i : i + (holeEnd - holeStart)));
    await fc.assert(
      fc.asyncProperty(signedOffset, fc.integer({ min: 1, max: 255 }), async (offset, delta) => {
        const tampered = sealed.slice();
        tampered[offset] = (tampered[offset]! + delta) & 0xff;
        expect((await verifySignedPdf(tampered)).valid).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});
