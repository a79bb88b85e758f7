import { PDFDocument } from '@cantoo/pdf-lib';
import type { DocumentSealer, SealingError, SealRequest } from '@paraphe/domain';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateDevelopmentSigningIdentity } from './development-identity.js';
import { makePadesDocumentSealer } from './pades-document-sealer.js';
import { GAP, MARGIN, overlaps, type Rect } from './signature-field.js';
import { MIN_MARGIN, slotFieldName, slotsInFreeBand, slotsOnNewPage } from './signature-slots.js';
import { STAMP_HEIGHT, STAMP_WIDTH } from './stamp.js';
import { generatedSamples, onePagePdf } from './test-support/corpus.js';
import { sealRequestFor } from './test-support/seal-request.js';

/** The n-th (1-based) signer's field, named for the test requests' procedure. */
const fieldOf = (n: number): string => slotFieldName(n - 1, sealRequestFor(new Uint8Array()).procedureId);

import {
  highestObjectNumber,
  isPrefix,
  objectsDefinedAfter,
  pageAnnotations,
  slotWidgets,
} from './test-support/signature-slots.js';
import { verifySignedPdf } from './verify-signed-pdf.js';

const stampSized = (r: Rect): boolean =>
  Math.abs(r[2] - r[0] - STAMP_WIDTH) < 1e-9 && Math.abs(r[3] - r[1] - STAMP_HEIGHT) < 1e-9;

const pairwiseApart = (rects: ReadonlyArray<Rect>): boolean =>
  rects.every((a, i) => rects.every((b, j) => i === j || !overlaps(a, b)));

const A4 = [595.28, 841.89] as const;
const LETTER = [612, 792] as const;

describe('laying out signature fields', () => {
  it('puts up to 10 stamps on an added page of any size, apart, inside it, at a printable margin', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 50, max: 3000, noNaN: true }),
        fc.double({ min: 50, max: 3000, noNaN: true }),
        fc.integer({ min: 1, max: 10 }),
        (width, height, count) => {
          const laid = slotsOnNewPage(width, height, count);
          expect(laid.rects).toHaveLength(count);
          expect(laid.width).toBeGreaterThanOrEqual(width);
          expect(laid.height).toBeGreaterThanOrEqual(height);
          for (const r of laid.rects) {
            expect(stampSized(r)).toBe(true);
            expect(r[0]).toBeGreaterThanOrEqual(MIN_MARGIN - 1e-9);
            expect(r[1]).toBeGreaterThanOrEqual(MIN_MARGIN - 1e-9);
            expect(r[2]).toBeLessThanOrEqual(laid.width - MIN_MARGIN + 1e-9);
            expect(r[3]).toBeLessThanOrEqual(laid.height - MIN_MARGIN + 1e-9);
          }
          expect(pairwiseApart(laid.rects)).toBe(true);
          // Reading order: each stamp is right of the previous one on its row, or on a lower row.
          laid.rects.slice(1).forEach((r, i) => {
            const previous = laid.rects[i]!;
            expect(r[1] < previous[1] || (r[1] === previous[1] && r[0] > previous[0])).toBe(true);
          });
        },
      ),
      { numRuns: 500 },
    );
  });

  it('keeps the size of common paper for 10 stamps, portrait and landscape', () => {
    for (const [w, h] of [A4, LETTER, [A4[1], A4[0]], [LETTER[1], LETTER[0]]] as const) {
      const laid = slotsOnNewPage(w, h, 10);
      expect([laid.width, laid.height], `${w}×${h}`).toEqual([w, h]);
    }
  });

  it('puts stamps in the free band at the bottom only, never over ink or annotations', () => {
    const rect = fc
      .tuple(
        fc.double({ min: -100, max: 1500, noNaN: true }),
        fc.double({ min: -100, max: 1500, noNaN: true }),
        fc.double({ min: 1, max: 400, noNaN: true }),
        fc.double({ min: 1, max: 200, noNaN: true }),
      )
      .map(([x, y, w, h]): Rect => [x, y, x + w, y + h]);
    let laidOut = 0;
    fc.assert(
      fc.property(
        fc.record({
          x: fc.double({ min: -200, max: 200, noNaN: true }),
          y: fc.double({ min: -200, max: 200, noNaN: true }),
          width: fc.double({ min: 50, max: 1500, noNaN: true }),
          height: fc.double({ min: 50, max: 1500, noNaN: true }),
        }),
        fc.oneof(fc.double({ min: -200, max: 1800, noNaN: true }), fc.constant(Number.POSITIVE_INFINITY)),
        fc.array(rect, { maxLength: 4 }),
        // Mostly few signers: ten rarely fit in a random free band.
        fc.oneof(fc.integer({ min: 2, max: 4 }), fc.integer({ min: 2, max: 10 })),
        (box, lowest, taken, count) => {
          const rects = slotsInFreeBand(box, lowest, taken, count);
          if (rects === undefined) return;
          laidOut++;
          expect(rects).toHaveLength(count);
          expect(pairwiseApart(rects)).toBe(true);
          for (const r of rects) {
            expect(stampSized(r)).toBe(true);
            expect(r[0]).toBeGreaterThanOrEqual(box.x + MARGIN - 1e-9);
            expect(r[1]).toBeGreaterThanOrEqual(box.y + MARGIN - 1e-9);
            expect(r[2]).toBeLessThanOrEqual(box.x + box.width - MARGIN + 1e-9);
            expect(r[3]).toBeLessThanOrEqual(box.y + box.height - MARGIN + 1e-9);
            expect(r[3] + GAP).toBeLessThanOrEqual(lowest + 1e-9);
            expect(taken.some((t) => overlaps(r, t))).toBe(false);
          }
        },
      ),
      { numRuns: 1000 },
    );
    // The property holds for laid-out cases only: enough of them must occur for it to say something (about 90 do).
    expect(laidOut).toBeGreaterThan(40);
  });

  it('fits 3 stamps under a short text, not 10 (those go on an added page)', () => {
    const box = { x: 0, y: 0, width: A4[0], height: A4[1] };
    expect(slotsInFreeBand(box, 500, [], 3)).toHaveLength(3);
    expect(slotsInFreeBand(box, 500, [], 10)).toBeUndefined();
  });
});

const codeOf = (result: E.Either<SealingError, unknown>): string =>
  E.isLeft(result) ? result.left.code : 'OK';

describe('sealing with several signers', () => {
  let sealer: DocumentSealer;
  let onePage: Uint8Array;
  let fullPage: Uint8Array;

  const seal = async (request: SealRequest): Promise<Uint8Array> => {
    const result = await sealer.seal(request)();
    if (E.isLeft(result)) throw new Error(JSON.stringify(result.left));
    return result.right;
  };
  const slot = (
    document: Uint8Array,
    position: number,
    count: number,
    overrides: Partial<SealRequest> = {},
  ) =>
    sealRequestFor(document, {
      slot: { position, count },
      signerName: `Signer ${position + 1}`,
      ...overrides,
    });

  beforeAll(async () => {
    sealer = makePadesDocumentSealer({ identity: await generateDevelopmentSigningIdentity() });
    onePage = await onePagePdf();
    fullPage = (await generatedSamples()).find((s) => s.name === 'generated-full-to-bottom.pdf')!.bytes;
  });

  it('seals exactly as before with a slot of one signer', async () => {
    const before = await seal(sealRequestFor(onePage));
    const withSlot = await seal(sealRequestFor(onePage, { slot: { position: 0, count: 1 } }));
    expect(Buffer.from(withSlot).equals(Buffer.from(before))).toBe(true);
  });

  it('lays out every field at the first seal, fills its own, and shows the others as awaited', async () => {
    const fr = await seal(slot(onePage, 1, 3));
    const widgets = await slotWidgets(fr);
    expect(widgets.map((w) => [w.name, w.signed, w.pageIndex])).toEqual([
      [fieldOf(1), false, 0],
      [fieldOf(2), true, 0],
      [fieldOf(3), false, 0],
    ]);
    expect(widgets[0]?.shownText).toEqual(['Signature attendue : 1']);
    expect(widgets[1]?.shownText[0]).toBe('Signer 2');
    expect(widgets[2]?.shownText).toEqual(['Signature attendue : 3']);
    const en = await slotWidgets(await seal(slot(onePage, 0, 2, { language: 'en' })));
    expect(en[1]?.shownText).toEqual(['Awaiting signature 2']);
    expect((await verifySignedPdf(fr)).valid).toBe(true);
  });

  it('puts 10 fields on one added page when the last page is full', async () => {
    const sealed = await seal(slot(fullPage, 0, 10));
    const pages = (await PDFDocument.load(sealed)).getPageCount();
    expect(pages).toBe((await PDFDocument.load(fullPage)).getPageCount() + 1);
    const widgets = await slotWidgets(sealed);
    expect(widgets).toHaveLength(10);
    expect(new Set(widgets.map((w) => w.pageIndex))).toEqual(new Set([pages - 1]));
    expect(pairwiseApart(widgets.map((w) => w.rect))).toBe(true);
  });

  it('lays out 2 to 10 fields on pages of any size: all on one page, inside it, apart, over no text', async () => {
    const placed = { onLastPage: 0, onAddedPage: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 100, max: 2000 }),
        fc.integer({ min: 100, max: 2000 }),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 2, max: 10 }),
        async (width, height, lines, count) => {
          const doc = await PDFDocument.create();
          const page = doc.addPage([width, height]);
          for (let l = 0; l < lines; l++)
            page.drawText(`Ligne ${l + 1}`, { x: 20, y: height - 30 - l * 14, size: 10 });
          const original = await doc.save({ useObjectStreams: false });
          const sealed = await seal(slot(original, count - 1, count));
          const pdf = await PDFDocument.load(sealed);
          const widgets = await slotWidgets(sealed);
          expect(widgets).toHaveLength(count);
          const pageIndex = widgets[0]!.pageIndex;
          placed[pageIndex === 0 ? 'onLastPage' : 'onAddedPage']++;
          expect(widgets.every((w) => w.pageIndex === pageIndex)).toBe(true);
          expect(pdf.getPageCount()).toBe(pageIndex + 1);
          const { width: w, height: h } = pdf.getPage(pageIndex).getSize();
          for (const { rect } of widgets)
            expect(rect[0] >= 0 && rect[1] >= 0 && rect[2] <= w && rect[3] <= h, `${rect} in ${w}×${h}`).toBe(
              true,
            );
          expect(pairwiseApart(widgets.map((x) => x.rect))).toBe(true);
          // On the original page: every field under the lowest line of text (its baseline less descenders).
          if (pageIndex === 0 && lines > 0)
            for (const { rect } of widgets) expect(rect[3]).toBeLessThan(height - 30 - (lines - 1) * 14 - 3);
        },
      ),
      { numRuns: 40 },
    );
    // Both ways must have been taken for the property to say something of each.
    expect(placed.onLastPage).toBeGreaterThan(0);
    expect(placed.onAddedPage).toBeGreaterThan(0);
  });

  it('lets a later signer change only their own field: no page, no annotation, no other object', async () => {
    const first = await seal(slot(onePage, 0, 3));
    const second = await seal(slot(first, 2, 3));
    expect(isPrefix(first, second)).toBe(true);
    const field = (await slotWidgets(first)).find((w) => w.name === fieldOf(3))!;
    const highest = highestObjectNumber(first);
    const redefined = objectsDefinedAfter(first, second).filter((n) => n <= highest);
    expect(redefined).toEqual([field.objectNumber]);
    expect(await pageAnnotations(second)).toEqual(await pageAnnotations(first));
    expect((await slotWidgets(second)).map((w) => w.signed)).toEqual([true, false, true]);
    const report = await verifySignedPdf(second, { originalSha256: sealRequestFor(onePage).originalSha256 });
    expect(report.valid).toBe(true);
    expect(report.signatures.every((s) => s.cryptographicallyValid)).toBe(true);
  });

  it("lays out its own fields on a document an earlier procedure signed, never filling or counting that one's", async () => {
    const earlier = { procedureId: 'sp_0123456789abcdef0123456789abcdef' };
    const later = { procedureId: 'sp_fedcba9876543210fedcba9876543210' };
    // The earlier procedure left one field unfilled: its second signer never signed.
    const amended = await seal(slot(onePage, 0, 2, earlier));
    const first = await seal(slot(amended, 1, 2, later));
    const second = await seal(slot(first, 0, 2, later));
    const widgets = await slotWidgets(second);
    expect(widgets.map((w) => [w.name, w.signed])).toEqual([
      [slotFieldName(0, earlier.procedureId), true],
      [slotFieldName(1, earlier.procedureId), false],
      [slotFieldName(0, later.procedureId), true],
      [slotFieldName(1, later.procedureId), true],
    ]);
    const report = await verifySignedPdf(second);
    expect(report.valid).toBe(true);
    expect(report.signatures).toHaveLength(3);
  });

  it('refuses to fill a field twice, a field the document lacks, and a slot out of range', async () => {
    const first = await seal(slot(onePage, 0, 2));
    expect(codeOf(await sealer.seal(slot(first, 0, 2))())).toBe('SEALING_FAILURE');
    const second = await seal(slot(first, 1, 2));
    expect(codeOf(await sealer.seal(slot(second, 1, 2))())).toBe('SEALING_FAILURE');
    expect(codeOf(await sealer.seal(slot(second, 0, 2))())).toBe('SEALING_FAILURE');
    // Laid out for 2 signers: a request for a third is not this document's.
    expect(codeOf(await sealer.seal(slot(first, 2, 3))())).toBe('SEALING_FAILURE');
    for (const [position, count] of [
      [2, 2],
      [-1, 2],
      [0, 0],
      [0, 11],
      [0.5, 2],
    ] as const)
      expect(codeOf(await sealer.seal(slot(onePage, position, count))()), `${position}/${count}`).toBe(
        'INVALID_INPUT',
      );
  });
});
