import { PDFName, PDFString, StandardFonts } from '@cantoo/pdf-lib';
import { sha256Hex } from '@paraphe/domain';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import * as pkijs from 'pkijs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDevelopmentSigningIdentity } from '../development-identity.js';
import { makePadesDocumentSealer } from '../pades-document-sealer.js';
import { onePagePdf } from '../test-support/corpus.js';
import { type LocalTsa, startLocalTsa } from '../test-support/local-tsa.js';
import { requireTools } from '../test-support/require-tool.js';
import { sealRequestFor } from '../test-support/seal-request.js';
import { verifySignedPdf } from '../verify-signed-pdf.js';
import {
  appendDocumentTimestamp,
  appendDss,
  appendUpdate,
  makeTestPki,
  type TestPki,
} from './test-support/hand-made-updates.js';
import { checksOf } from './verification-checks.js';
import { verifyPdfDocument } from './verify-document.js';
import { verifyEvidence } from './verify-evidence.js';

const allChecksHold = async (pdf: Uint8Array): Promise<boolean> => {
  const report = await verifyEvidence({ document: pdf });
  return report.valid && checksOf(report).every((c) => c.ok);
};

describe.skipIf(!requireTools('openssl'))(
  'verifying B-T, B-LT and B-LTA files and what follows a signature',
  () => {
    let tsa: LocalTsa;
    let pki: TestPki;
    let sealed: Uint8Array;
    let lta: Uint8Array;

    beforeAll(async () => {
      tsa = await startLocalTsa();
      pki = makeTestPki();
      const sealer = makePadesDocumentSealer({
        identity: {
          kind: 'pem',
          privateKeyPem: pki.leafKeyPem,
          certificateChainPem: [pki.leafPem, pki.rootPem],
        },
        timestampAuthority: { url: tsa.url },
      });
      const result = await sealer.seal(sealRequestFor(await onePagePdf()))();
      if (E.isLeft(result)) throw new Error(JSON.stringify(result.left));
      sealed = result.right;
      const withDss = await appendDss(sealed, {
        certificates: [pki.leafDer, pki.rootDer],
        ocsps: [pki.ocspAboutLeaf(() => ({ status: 'good' }))],
      });
      lta = await appendDocumentTimestamp(withDss, tsa.url);
    }, 60_000);
    afterAll(async () => {
      await tsa.close();
    });

    it('reads B-T: the signature timestamp covers the signature value and the TSA signed it', async () => {
      const report = await verifyPdfDocument(sealed);
      expect(report).toMatchObject({ valid: true, level: 'B-T' });
      expect(report.signatures[0]?.timestamp).toMatchObject({
        imprintMatches: true,
        tsaSignatureValid: true,
      });
      expect(report.signatures[0]?.timestamp?.tsaName).toContain('Paraphe test TSA');
    });

    it('reads B-LTA: the /DSS, then a document timestamp over the whole file; the signature still holds', async () => {
      const report = await verifyPdfDocument(lta);
      expect(report.valid).toBe(true);
      expect(report.level).toBe('B-LTA');
      expect(report.revisions).toHaveLength(4);
      const [signature, timestamp] = report.signatures;
      expect(signature).toMatchObject({
        kind: 'signature',
        revision: 2,
        valid: true,
        coversWholeDocument: false,
      });
      expect(signature?.laterRevisions.map((r) => r.adds)).toEqual([['dss'], ['document-timestamp']]);
      expect(timestamp).toMatchObject({
        kind: 'document-timestamp',
        revision: 4,
        valid: true,
        coversWholeDocument: true,
      });
      expect(timestamp?.timestamp).toMatchObject({ imprintMatches: true, tsaSignatureValid: true });
      expect(report.dss).toMatchObject({ certificates: [{}, {}], crls: [], unreadable: 0 });
      expect(report.dss?.ocspResponses).toEqual([
        {
          producedAt: expect.any(Date),
          answers: [{ certificate: 'CN=Verifier test signer', status: 'good' }],
          signatureValid: true,
        },
      ]);
      expect((await verifySignedPdf(lta)).valid).toBe(true);
      // The hash recorded for a B-LT file, ending on its /DSS, is found as the signed document too.
      const lt = lta.subarray(0, report.revisions[2]?.end);
      expect(await verifySignedPdf(lt, { signedSha256: sha256Hex(lt) })).toMatchObject({
        valid: true,
        signedMatches: true,
        level: 'B-LT',
      });
    });

    // Found by the property below: with its /ByteRange edited the last document timestamp was no signature at all,
    // and its revision passed for one adding a signature.
    it('refuses a document timestamp whose /ByteRange was edited, name or number', async () => {
      const text = Buffer.from(lta).toString('latin1');
      const at = text.indexOf('/ByteRange', text.indexOf('/DocTimeStamp'));
      for (const offset of [at + 1, at + 14]) {
        const tampered = lta.slice();
        tampered[offset] = ((tampered[offset] ?? 0) + 1) & 0xff;
        expect(await allChecksHold(tampered), text.slice(at, at + 24)).toBe(false);
        expect((await verifySignedPdf(tampered)).valid).toBe(false);
      }
    });

    it('finds any one byte changed in a signed range of the B-LTA file', async () => {
      const ranges = (await verifyPdfDocument(lta)).signatures.map((s) => s.byteRange);
      // Signed by some signature: before its end and outside its hole (padding in the last hole is signed by none).
      const signedOffset = fc
        .integer({ min: 0, max: lta.length - 1 })
        .filter((i) => ranges.some(([, start, end, tail]) => i < end + tail && (i < start || i >= end)));
      await fc.assert(
        fc.asyncProperty(signedOffset, fc.integer({ min: 1, max: 255 }), async (offset, delta) => {
          const tampered = lta.slice();
          tampered[offset] = ((tampered[offset] ?? 0) + delta) & 0xff;
          expect(await allChecksHold(tampered)).toBe(false);
        }),
        { numRuns: 150 },
      );
    });

    it('reports an OCSP answer saying revoked, and one whose signature does not verify', async () => {
      const revoked = await appendDss(sealed, {
        certificates: [pki.leafDer, pki.rootDer],
        ocsps: [
          pki.ocspAboutLeaf(() => ({ status: 'revoked', revokedAt: new Date('2025-01-01T00:00:00Z') })),
        ],
      });
      const report = await verifyEvidence({ document: revoked });
      expect(report.valid).toBe(false);
      const ocsp = checksOf(report).find((c) => c.name === 'dss-ocsp');
      expect(ocsp).toMatchObject({ ok: false, details: { answers: ['CN=Verifier test signer: revoked'] } });

      const good = pki.ocspAboutLeaf(() => ({ status: 'good' }));
      // One bit of the responder's signature value flipped: the response still parses, its signature fails.
      const basic = pkijs.BasicOCSPResponse.fromBER(
        pkijs.OCSPResponse.fromBER(good.slice().buffer).responseBytes!.response.getValue(),
      );
      const signatureAt = Buffer.from(good).indexOf(Buffer.from(basic.signature.valueBlock.valueHexView));
      const forged = good.slice();
      forged[signatureAt + 10] = (forged[signatureAt + 10] ?? 0) ^ 0x01;
      const unsigned = await verifyPdfDocument(
        await appendDss(sealed, { certificates: [pki.leafDer, pki.rootDer], ocsps: [forged] }),
      );
      expect(unsigned.valid).toBe(false);
      expect(unsigned.dss?.ocspResponses[0]?.signatureValid).toBe(false);
    });

    it('reports what a later revision changes besides DSS, timestamps and signatures', async () => {
      const drawn = await appendUpdate(sealed, async (doc) => {
        const font = await doc.embedFont(StandardFonts.Helvetica);
        doc.getPage(0).drawText('Montant : 1 €', { x: 50, y: 50, font, size: 12 });
      });
      const report = await verifyPdfDocument(drawn);
      expect(report.valid).toBe(false);
      const [signature] = report.signatures;
      expect(signature).toMatchObject({ laterChangesAllowed: false, problems: ['changed-after-signature'] });
      expect(
        signature?.laterRevisions[0]?.otherChanges.some((c) => /^page \d+ \/(Contents|Resources)$/.test(c)),
      ).toBe(true);

      const annotated = await appendUpdate(sealed, (doc) => {
        const page = doc.getPage(0);
        const note = doc.context.register(
          doc.context.obj({
            Type: 'Annot',
            Subtype: 'FreeText',
            Rect: [50, 50, 300, 80],
            DA: '/Helv 12 Tf 0 g',
          }),
        );
        note.toString();
        page.node.set(
          PDFName.of('Annots'),
          doc.context.obj([...(page.node.Annots()?.asArray() ?? []), note]),
        );
      });
      const second = await verifyPdfDocument(annotated);
      expect(second.valid).toBe(false);
      expect(second.signatures[0]?.laterRevisions[0]?.otherChanges).toEqual([
        expect.stringMatching(/annotation or field added/),
      ]);

      const retitled = await appendUpdate(sealed, (doc) => {
        doc.catalog.set(PDFName.of('Lang'), PDFString.of('en'));
      });
      expect((await verifyPdfDocument(retitled)).signatures[0]?.laterRevisions[0]?.otherChanges).toEqual([
        'catalog /Lang',
      ]);
    });

    it('accepts a second signature the sealer appends after a document timestamp', async () => {
      const identity = await generateDevelopmentSigningIdentity();
      const again = await makePadesDocumentSealer({ identity }).seal(sealRequestFor(lta))();
      if (E.isLeft(again)) throw new Error(again.left.code);
      const report = await verifyPdfDocument(again.right);
      expect(report.signatures.map((s) => [s.kind, s.valid])).toEqual([
        ['signature', true],
        ['document-timestamp', true],
        ['signature', true],
      ]);
      expect(report.valid).toBe(true);
      expect(report.signatures[1]?.laterRevisions.map((r) => r.adds)).toEqual([['signature']]);
    });
  },
);
