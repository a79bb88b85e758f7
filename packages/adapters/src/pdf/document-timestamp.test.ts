import { PDFArray, PDFDict, PDFDocument, PDFName } from '@cantoo/pdf-lib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DOCUMENT_TIMESTAMP_RESERVED_BYTES, prepareDocumentTimestamp } from './document-timestamp.js';
import { embedSignature } from './incremental-signature.js';
import { onePagePdf } from './test-support/corpus.js';

describe('the document timestamp update (PAdES B-LTA)', () => {
  it('appends a /DocTimeStamp whose byte range is the whole file but its /Contents, the file kept as a prefix', async () => {
    const original = await onePagePdf();
    // No form yet: the update must create the AcroForm too.
    expect(
      (await PDFDocument.load(original)).catalog.lookupMaybe(PDFName.of('AcroForm'), PDFDict),
    ).toBeUndefined();
    await fc.assert(
      fc.asyncProperty(
        // A DER-shaped stand-in for the token: SEQUENCE with a long-form length, then its bytes.
        fc.uint8Array({ minLength: 1, maxLength: 2000 }),
        async (body) => {
          const prepared = await prepareDocumentTimestamp(original);
          const { pdf, byteRange } = prepared;
          expect(Buffer.from(pdf.subarray(0, original.length)).equals(Buffer.from(original))).toBe(true);
          expect(byteRange[0]).toBe(0);
          expect(byteRange[2] + byteRange[3]).toBe(pdf.length);
          expect(byteRange[2] - byteRange[1]).toBe(2 * DOCUMENT_TIMESTAMP_RESERVED_BYTES + 2);
          const token = new Uint8Array([0x30, 0x82, body.length >> 8, body.length & 0xff, ...body]);
          const stamped = embedSignature(prepared, token);
          // Only the hole changed, and it holds the token: the signed bytes are the prepared ones.
          expect(
            Buffer.from(stamped.subarray(0, byteRange[1])).equals(Buffer.from(pdf.subarray(0, byteRange[1]))),
          ).toBe(true);
          const hole = Buffer.from(stamped.subarray(byteRange[1] + 1, byteRange[2] - 1)).toString('latin1');
          expect(hole.startsWith(Buffer.from(token).toString('hex'))).toBe(true);
          const doc = await PDFDocument.load(stamped, { updateMetadata: false });
          const form = doc.catalog.lookup(PDFName.of('AcroForm'), PDFDict);
          const widget = form.lookup(PDFName.of('Fields'), PDFArray).lookup(0, PDFDict);
          const value = widget.lookup(PDFName.of('V'), PDFDict);
          expect(value.lookup(PDFName.of('Type'), PDFName).decodeText()).toBe('DocTimeStamp');
          expect(value.lookup(PDFName.of('SubFilter'), PDFName).decodeText()).toBe('ETSI.RFC3161');
          expect(widget.lookup(PDFName.of('Rect'), PDFArray).asArray().map(String)).toEqual([
            '0',
            '0',
            '0',
            '0',
          ]);
        },
      ),
      { numRuns: 10 },
    );
  });
});
