import {
  PDFArray,
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
import type { Language } from '@paraphe/domain';
import { withoutChangeTracking } from './change-tracking.js';
import { lowestInk } from './ink-bounds.js';
import {
  acroForm,
  annotationRects,
  GAP,
  MARGIN,
  overlaps,
  type Rect,
  type SignatureDictionaryFields,
  signatureDictionary,
} from './signature-field.js';
import { awaitedAppearance, awaitedLabel, STAMP_HEIGHT, STAMP_WIDTH, stampAppearance } from './stamp.js';
import { addStandardFont } from './standard-fonts.js';

/** Printers commonly leave about 4 mm blank: an added page may go down to this margin to keep 10 stamps on A4. */
export const MIN_MARGIN = 18;

/** One signer's place among several, in the procedure whose fields these are. */
export interface SignatureSlot {
  readonly position: number;
  readonly count: number;
  readonly procedureId: string;
}

/**
 * The procedure's mark in its field names: a document signed in an earlier procedure (an amended quote sent again)
 * carries that procedure's fields, which this one must neither fill nor count. No period: it would nest the field.
 */
const procedureTag = (procedureId: string): string => procedureId.replace(/[^A-Za-z0-9]/g, '').slice(-12);

/** The field of the signer at `position` (0-based) in this procedure; a later seal finds its field by this name. */
export const slotFieldName = (position: number, procedureId: string): string =>
  `ParapheSigner${position + 1}-${procedureTag(procedureId)}`;

const slotFieldPattern = (procedureId: string): RegExp =>
  new RegExp(`^ParapheSigner(\\d+)-${procedureTag(procedureId)}$`);

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

const columnsWithin = (width: number, margin: number): number =>
  Math.floor((width - 2 * margin + GAP) / (STAMP_WIDTH + GAP));

/**
 * Where `count` stamps go in the free band at the bottom of a page: a grid right-aligned on the page (as the lone
 * stamp sits bottom right), from the bottom margin up to `GAP` under the lowest ink, skipping cells over existing
 * annotations. The stamps take the last `count` free cells in reading order, so they gather at the bottom and read
 * left to right, top to bottom, in signing-position order. Undefined when they do not all fit.
 */
export const slotsInFreeBand = (
  box: Box,
  lowest: number,
  taken: ReadonlyArray<Rect>,
  count: number,
): ReadonlyArray<Rect> | undefined => {
  const columns = columnsWithin(box.width, MARGIN);
  const bottom = box.y + MARGIN;
  const top = Math.min(lowest - GAP, box.y + box.height - MARGIN);
  const rows = Math.floor((top - bottom + GAP) / (STAMP_HEIGHT + GAP));
  if (columns < 1 || rows < 1 || !Number.isFinite(rows) || columns * rows < count) return undefined;
  const right = box.x + box.width - MARGIN;
  const free: Rect[] = [];
  for (let row = rows - 1; row >= 0; row--) {
    const y = bottom + row * (STAMP_HEIGHT + GAP);
    for (let column = 0; column < columns; column++) {
      const x = right - (columns - column) * STAMP_WIDTH - (columns - 1 - column) * GAP;
      const cell: Rect = [x, y, x + STAMP_WIDTH, y + STAMP_HEIGHT];
      if (!taken.some((t) => overlaps(cell, t))) free.push(cell);
    }
  }
  return free.length < count ? undefined : free.slice(free.length - count);
};

/**
 * The grid of `count` stamps on a page of their own, centred across it, from the top, in reading order: at the usual
 * margin when they fit, else at `MIN_MARGIN`, else on a page enlarged just enough (only for a page smaller than the
 * stamps).
 */
export const slotsOnNewPage = (
  width: number,
  height: number,
  count: number,
): { readonly width: number; readonly height: number; readonly rects: ReadonlyArray<Rect> } => {
  const grid = (w: number, h: number, margin: number, columns: number) => {
    const rows = Math.ceil(count / columns);
    // Centred across the page: a lone column at the left edge of an A4 page looked pushed aside.
    const left = (w - (columns * (STAMP_WIDTH + GAP) - GAP)) / 2;
    const rects = Array.from({ length: count }, (_, i): Rect => {
      const x = left + (i % columns) * (STAMP_WIDTH + GAP);
      const top = h - margin - Math.floor(i / columns) * (STAMP_HEIGHT + GAP);
      return [x, top - STAMP_HEIGHT, x + STAMP_WIDTH, top];
    });
    return { width: w, height: h, rects, fits: rows * (STAMP_HEIGHT + GAP) - GAP <= h - 2 * margin };
  };
  for (const margin of [MARGIN, MIN_MARGIN]) {
    const columns = Math.min(count, columnsWithin(width, margin));
    if (columns < 1) continue;
    const { fits, ...laid } = grid(width, height, margin, columns);
    if (fits) return laid;
  }
  const columns = Math.max(1, Math.min(count, columnsWithin(width, MARGIN)));
  const rows = Math.ceil(count / columns);
  const { fits: _, ...laid } = grid(
    Math.max(width, columns * (STAMP_WIDTH + GAP) - GAP + 2 * MARGIN),
    Math.max(height, rows * (STAMP_HEIGHT + GAP) - GAP + 2 * MARGIN),
    MARGIN,
    columns,
  );
  return laid;
};

interface Placements {
  readonly page: PDFPage;
  readonly rects: ReadonlyArray<Rect>;
}

const onLastPage = (page: PDFPage, count: number): Placements | undefined => {
  if (page.getRotation().angle % 360 !== 0) return undefined;
  const box = page.getCropBox();
  let lowest: number;
  try {
    lowest = lowestInk(page, box.width * box.height);
  } catch {
    return undefined;
  }
  const rects = slotsInFreeBand(box, lowest, annotationRects(page), count);
  return rects === undefined ? undefined : { page, rects };
};

// The added page has the last page's displayed size when the stamps fit on it, so printing stays uniform.
const onAppendedPage = async (document: PDFDocument, last: PDFPage, count: number): Promise<Placements> => {
  const box = last.getCropBox();
  const quarterTurn = last.getRotation().angle % 180 !== 0;
  const laid = slotsOnNewPage(
    quarterTurn ? box.height : box.width,
    quarterTurn ? box.width : box.height,
    count,
  );
  const page = await withoutChangeTracking(document.context, () => {
    const created = PDFPage.create(document);
    created.setSize(laid.width, laid.height);
    return created;
  });
  // Tracked: inserting the page changes the original page tree.
  document.addPage(page);
  return { page, rects: laid.rects };
};

const fieldTitle = (field: PDFDict): string | undefined => {
  const title = field.lookupMaybe(PDFName.of('T'), PDFString, PDFHexString);
  return title?.decodeText();
};

/** The document's `ParapheSigner<n>-<procedure>` fields of this procedure, by their 0-based position. */
const slotFields = (document: PDFDocument, procedureId: string): Map<number, PDFDict> => {
  const pattern = slotFieldPattern(procedureId);
  const fields = document.catalog
    .lookupMaybe(PDFName.of('AcroForm'), PDFDict)
    ?.lookupMaybe(PDFName.of('Fields'), PDFArray);
  const found = new Map<number, PDFDict>();
  for (let i = 0; i < (fields?.size() ?? 0); i++) {
    const field = fields?.lookupMaybe(i, PDFDict);
    const match = field === undefined ? null : pattern.exec(fieldTitle(field) ?? '');
    if (field !== undefined && match !== null) found.set(Number(match[1]) - 1, field);
  }
  return found;
};

export const hasSignatureSlots = (document: PDFDocument, procedureId: string): boolean =>
  slotFields(document, procedureId).size > 0;

const widget = (
  document: PDFDocument,
  page: PDFPage,
  rect: Rect,
  name: string,
  appearance: PDFRef,
): PDFDict =>
  document.context.obj({
    Type: 'Annot',
    Subtype: 'Widget',
    FT: 'Sig',
    // Print | Locked: Locked forbids moving the widget, not filling its field.
    F: 132,
    Rect: [...rect],
    P: page.ref,
    T: PDFString.of(name),
    AP: { N: appearance },
  });

/**
 * First seal of several signers: lays out every signer's signature field (all on the last page when they fit in its
 * free room, else all on one added page) and fills the one at `position`. Like `addSignatureField`, no existing
 * content stream is touched; only the page's /Annots, the form's /Fields and /SigFlags (and, for an added page, the
 * page tree) change.
 */
export const addSignatureSlots = async (
  document: PDFDocument,
  slot: SignatureSlot,
  stampLines: ReadonlyArray<string>,
  language: Language,
  fields: SignatureDictionaryFields,
): Promise<{ readonly pageIndex: number; readonly appendedPage: boolean }> => {
  const { context } = document;
  const last = document.getPage(document.getPageCount() - 1);
  const placements = onLastPage(last, slot.count) ?? (await onAppendedPage(document, last, slot.count));
  const form = acroForm(document);
  const existingFields = form.lookupMaybe(PDFName.of('Fields'), PDFArray);
  const existingAnnots = placements.page.node.lookupMaybe(PDFName.of('Annots'), PDFArray);

  const built = await withoutChangeTracking(context, () => {
    const regular = addStandardFont(context, StandardFonts.Helvetica);
    const bold = addStandardFont(context, StandardFonts.HelveticaBold);
    const refs = placements.rects.map((rect, position) => {
      const filled = position === slot.position;
      const appearance = filled
        ? stampAppearance(context, { regular, bold }, stampLines)
        : awaitedAppearance(context, regular, awaitedLabel(position, language));
      const dict = widget(
        document,
        placements.page,
        rect,
        slotFieldName(position, slot.procedureId),
        appearance,
      );
      if (filled) dict.set(PDFName.of('V'), signatureDictionary(context, fields));
      return context.register(dict);
    });
    // New arrays rather than in-place pushes: pdf-lib's push would normalize the page and rewrap its /Contents.
    return {
      annots: context.obj([...(existingAnnots?.asArray() ?? []), ...refs]),
      fields: context.obj([...(existingFields?.asArray() ?? []), ...refs]),
    };
  });

  placements.page.node.set(PDFName.of('Annots'), built.annots);
  form.set(PDFName.of('Fields'), built.fields);
  form.set(PDFName.of('SigFlags'), PDFNumber.of(3));
  const pageIndex = document.getPages().findIndex((p) => p.ref === placements.page.ref);
  return { pageIndex, appendedPage: placements.page !== last };
};

/**
 * A later seal: sets /V and /AP of the empty field at `position`, the only object of the file it changes, so that
 * earlier signatures see a signature field filled in and nothing else. Throws (a sealing failure) when the document
 * lays out another number of signers, or the field is missing or already signed.
 */
export const fillSignatureSlot = async (
  document: PDFDocument,
  slot: SignatureSlot,
  stampLines: ReadonlyArray<string>,
  fields: SignatureDictionaryFields,
): Promise<void> => {
  const { context } = document;
  const slots = slotFields(document, slot.procedureId);
  const name = slotFieldName(slot.position, slot.procedureId);
  if (slots.size !== slot.count)
    throw new Error(`the document lays out ${slots.size} signature fields, not ${slot.count}`);
  const field = slots.get(slot.position);
  if (field === undefined) throw new Error(`signature field ${name} not found`);
  if (field.lookupMaybe(PDFName.of('FT'), PDFName) !== PDFName.of('Sig'))
    throw new Error(`field ${name} is not a signature field`);
  if (field.has(PDFName.of('V'))) throw new Error(`signature field ${name} is already signed`);

  const built = await withoutChangeTracking(context, () => {
    const regular = addStandardFont(context, StandardFonts.Helvetica);
    const bold = addStandardFont(context, StandardFonts.HelveticaBold);
    return {
      value: signatureDictionary(context, fields),
      appearance: context.obj({ N: stampAppearance(context, { regular, bold }, stampLines) }),
    };
  });
  // Tracked: the field (merged with its widget) is the one existing object the update redefines.
  field.set(PDFName.of('V'), built.value);
  field.set(PDFName.of('AP'), built.appearance);
};
