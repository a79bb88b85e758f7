import {
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFName,
  PDFNumber,
  type PDFRef,
  StandardFonts,
} from '@cantoo/pdf-lib';
import * as E from 'fp-ts/lib/Either.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { withoutChangeTracking } from './change-tracking.js';
import { generateDevelopmentSigningIdentity } from './development-identity.js';
import { loadForIncrementalUpdate } from './load-pdf.js';
import { makePadesDocumentSealer } from './pades-document-sealer.js';
import { onePagePdf } from './test-support/corpus.js';
import { sealRequestFor } from './test-support/seal-request.js';
import { verifySignedPdf } from './verify-signed-pdf.js';

const loaded = async (bytes: Uint8Array): Promise<PDFDocument> => {
  const result = await loadForIncrementalUpdate(bytes, 10_000_000)();
  if (E.isLeft(result)) throw new Error(result.left.code);
  return result.right;
};

const writtenObjectNumbers = (increment: Uint8Array): ReadonlyArray<number> =>
  [
    ...Buffer.from(increment)
      .toString('latin1')
      .matchAll(/^(\d+) 0 obj$/gm),
  ].map((m) => Number(m[1]));

describe('withoutChangeTracking', () => {
  let original: Uint8Array;
  beforeAll(async () => {
    original = await onePagePdf();
  });

  it('writes new objects and tracked changes, and restores the snapshot even on failure', async () => {
    const pdf = await loaded(original);
    const { context } = pdf;
    const snapshot = context.snapshot;
    const page = pdf.getPage(0);
    const fresh = await withoutChangeTracking(context, () =>
      context.register(context.obj({ Type: 'Annot', Rect: [0, 0, 1, 1] })),
    );
    expect(context.snapshot).toBe(snapshot);
    page.node.set(PDFName.of('Annots'), context.obj([fresh]));
    await expect(
      withoutChangeTracking(context, () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(context.snapshot).toBe(snapshot);

    const increment = await withoutChangeTracking(context, () =>
      pdf.saveIncremental(snapshot!, { useObjectStreams: false }),
    );
    const written = writtenObjectNumbers(increment);
    const catalog = context.trailerInfo.Root as PDFRef;
    expect(written).toEqual(
      expect.arrayContaining([fresh.objectNumber, page.ref.objectNumber, catalog.objectNumber]),
    );
    expect(written).toHaveLength(3);
  });

  it('still writes the catalog when the sealer changes an AcroForm held inline in it', async () => {
    const doc = await PDFDocument.create();
    doc.addPage([595, 842]);
    doc.catalog.set(PDFName.of('AcroForm'), doc.context.obj({ Fields: [], DA: '/Helv 0 Tf 0 g' }));
    const bytes = await doc.save({ useObjectStreams: false });
    expect(doc.catalog.get(PDFName.of('AcroForm'))).toBeInstanceOf(PDFDict);

    const sealer = makePadesDocumentSealer({ identity: await generateDevelopmentSigningIdentity() });
    const sealed = await sealer.seal(sealRequestFor(bytes))();
    if (E.isLeft(sealed)) throw new Error(sealed.left.code);
    expect((await verifySignedPdf(sealed.right)).valid).toBe(true);
    const reread = await PDFDocument.load(sealed.right);
    const form = reread.catalog.lookup(PDFName.of('AcroForm'), PDFDict);
    expect(form.lookup(PDFName.of('Fields'), PDFArray).size()).toBe(1);
    expect(form.lookup(PDFName.of('SigFlags'), PDFNumber).asNumber()).toBe(3);
    expect(reread.getPage(0).node.lookup(PDFName.of('Annots'), PDFArray).size()).toBe(1);
  });

  it('writes the original page tree when the stamp needs a page of its own', async () => {
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    for (let p = 0; p < 3; p++) {
      const page = doc.addPage([595, 842]);
      for (let l = 0; l < 58; l++) page.drawText(`line ${l}`, { x: 50, y: 810 - l * 14, size: 10, font });
    }
    const bytes = await doc.save({ useObjectStreams: true });
    const sealer = makePadesDocumentSealer({ identity: await generateDevelopmentSigningIdentity() });
    const sealed = await sealer.seal(sealRequestFor(bytes))();
    if (E.isLeft(sealed)) throw new Error(sealed.left.code);
    expect((await verifySignedPdf(sealed.right)).valid).toBe(true);
    const reread = await PDFDocument.load(sealed.right);
    expect(reread.getPageCount()).toBe(4);
    expect(reread.getPage(3).node.lookup(PDFName.of('Annots'), PDFArray).size()).toBe(1);
  });
});
