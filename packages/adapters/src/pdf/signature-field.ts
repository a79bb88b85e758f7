import {
  PDFArray,
  type PDFContext,
  PDFDict,
  type PDFDocument,
  PDFHexString,
  PDFName,
  PDFNumber,
  PDFPage,
  type PDFRef,
  PDFString,
  StandardFonts,
} from '@cantoo/pdf-lib';
import { withoutChangeTracking } from './change-tracking.js';
import { byteRangePlaceholder, contentsPlaceholder } from './incremental-signature.js';
import { lowestInk } from './ink-bounds.js';
import { STAMP_HEIGHT, STAMP_WIDTH, stampAppearance } from './stamp.js';
import { addStandardFont } from './standard-fonts.js';

export const MARGIN = 36;
export const GAP = 6;

export interface SignatureDictionaryFields {
  readonly signedAt: Date;
  readonly name: string;
  readonly reason?: string;
  readonly contactInfo?: string;
  readonly location?: string;
  readonly reservedBytes: number;
}

export const pdfDate = (d: Date): string => `D:${d.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;

/** Latin text stays a literal string; anything else becomes UTF-16BE so viewers show it intact. */
export const text = (value: string): PDFString | PDFHexString =>
  /^[\x20-\x7e]*$/.test(value) ? PDFString.of(value) : PDFHexString.fromText(value);

export interface Placement {
  readonly page: PDFPage;
  readonly rect: Rect;
}

export type Rect = readonly [number, number, number, number];

export const annotationRects = (page: PDFPage): ReadonlyArray<Rect> => {
  const annots = page.node.lookupMaybe(PDFName.of('Annots'), PDFArray);
  const rects: Rect[] = [];
  for (let i = 0; i < (annots?.size() ?? 0); i++) {
    const rect = annots?.lookupMaybe(i, PDFDict)?.lookupMaybe(PDFName.of('Rect'), PDFArray);
    if (rect === undefined) continue;
    const [a = 0, b = 0, c = 0, d = 0] = rect
      .asArray()
      .map((n) => (n instanceof PDFNumber ? n.asNumber() : 0));
    rects.push([Math.min(a, c), Math.min(b, d), Math.max(a, c), Math.max(b, d)]);
  }
  return rects;
};

export const overlaps = (a: Rect, b: Rect): boolean =>
  a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];

// Bottom right first, then bottom left: an earlier stamp (an annotation, invisible to the ink scan) keeps its spot.
const freeRoomOnLastPage = (page: PDFPage): Placement | undefined => {
  if (page.getRotation().angle % 360 !== 0) return undefined;
  const box = page.getCropBox();
  if (box.width < STAMP_WIDTH + 2 * MARGIN || box.height < STAMP_HEIGHT + 2 * MARGIN) return undefined;
  const y = box.y + MARGIN;
  let lowest: number;
  try {
    lowest = lowestInk(page, box.width * box.height);
  } catch {
    return undefined;
  }
  if (lowest < y + STAMP_HEIGHT + GAP) return undefined;
  const taken = annotationRects(page);
  const slots: ReadonlyArray<Rect> = [box.x + box.width - MARGIN - STAMP_WIDTH, box.x + MARGIN].map(
    (x) => [x, y, x + STAMP_WIDTH, y + STAMP_HEIGHT] as const,
  );
  const rect = slots.find((slot) => !taken.some((t) => overlaps(slot, t)));
  return rect === undefined ? undefined : { page, rect };
};

// A page added for the stamp has the last page's displayed size, so printing stays uniform.
const appendedPage = async (document: PDFDocument, last: PDFPage): Promise<Placement> => {
  const box = last.getCropBox();
  const quarterTurn = last.getRotation().angle % 180 !== 0;
  const width = Math.max(quarterTurn ? box.height : box.width, STAMP_WIDTH + 2 * MARGIN);
  const height = Math.max(quarterTurn ? box.width : box.height, STAMP_HEIGHT + 2 * MARGIN);
  // The new page is built untracked; inserting it into the original page tree is tracked.
  const page = await withoutChangeTracking(document.context, () => {
    const created = PDFPage.create(document);
    created.setSize(width, height);
    return created;
  });
  document.addPage(page);
  const top = height - MARGIN;
  return { page, rect: [MARGIN, top - STAMP_HEIGHT, MARGIN + STAMP_WIDTH, top] };
};

export const acroForm = (document: PDFDocument): PDFDict => {
  const existing = document.catalog.lookupMaybe(PDFName.of('AcroForm'), PDFDict);
  if (existing !== undefined) return existing;
  const created = document.context.obj({});
  document.catalog.set(PDFName.of('AcroForm'), document.context.register(created));
  return created;
};

/** The signature dictionary with its placeholders; to be called with change tracking off (it only adds objects). */
export const signatureDictionary = (context: PDFContext, fields: SignatureDictionaryFields): PDFRef => {
  const signature = context.obj({
    Type: 'Sig',
    Filter: 'Adobe.PPKLite',
    SubFilter: 'ETSI.CAdES.detached',
  });
  signature.set(PDFName.of('ByteRange'), byteRangePlaceholder());
  signature.set(PDFName.of('Contents'), contentsPlaceholder(fields.reservedBytes));
  signature.set(PDFName.of('M'), PDFString.of(pdfDate(fields.signedAt)));
  signature.set(PDFName.of('Name'), text(fields.name));
  if (fields.reason !== undefined) signature.set(PDFName.of('Reason'), text(fields.reason));
  if (fields.contactInfo !== undefined) signature.set(PDFName.of('ContactInfo'), text(fields.contactInfo));
  if (fields.location !== undefined) signature.set(PDFName.of('Location'), text(fields.location));
  return context.register(signature);
};

const fieldName = (fields: PDFArray | undefined): string => `Signature${(fields?.size() ?? 0) + 1}`;

/** Adds the signature dictionary and its visible widget, touching no existing page content stream. */
export const addSignatureField = async (
  document: PDFDocument,
  stampLines: ReadonlyArray<string>,
  fields: SignatureDictionaryFields,
): Promise<{ readonly pageIndex: number; readonly appendedPage: boolean }> => {
  const { context } = document;
  const last = document.getPage(document.getPageCount() - 1);
  // Tracked: appending a page changes the original page tree.
  const placement = freeRoomOnLastPage(last) ?? (await appendedPage(document, last));
  const form = acroForm(document);
  const existingFields = form.lookupMaybe(PDFName.of('Fields'), PDFArray);
  const existingAnnots = placement.page.node.lookupMaybe(PDFName.of('Annots'), PDFArray);

  const built = await withoutChangeTracking(context, () => {
    const fonts = {
      regular: addStandardFont(context, StandardFonts.Helvetica),
      bold: addStandardFont(context, StandardFonts.HelveticaBold),
    };
    const appearance = stampAppearance(context, fonts, stampLines);

    const signatureRef = signatureDictionary(context, fields);

    const widget = context.obj({
      Type: 'Annot',
      Subtype: 'Widget',
      FT: 'Sig',
      F: 132, // Print | Locked
      Rect: [...placement.rect],
      P: placement.page.ref,
      V: signatureRef,
      AP: { N: appearance },
    });
    widget.set(PDFName.of('T'), PDFString.of(fieldName(existingFields)));
    const widgetRef: PDFRef = context.register(widget);
    // New arrays rather than in-place pushes: pdf-lib's push would normalize the page and rewrap its /Contents.
    return {
      annots: context.obj([...(existingAnnots?.asArray() ?? []), widgetRef]),
      fields: context.obj([...(existingFields?.asArray() ?? []), widgetRef]),
    };
  });

  // Tracked: these change objects of the original file, which must then be written in the update.
  placement.page.node.set(PDFName.of('Annots'), built.annots);
  form.set(PDFName.of('Fields'), built.fields);
  form.set(PDFName.of('SigFlags'), PDFNumber.of(3));
  const pageIndex = document.getPages().findIndex((p) => p.ref === placement.page.ref);
  return { pageIndex, appendedPage: placement.page !== last };
};
