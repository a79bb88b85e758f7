import { IncrementalDocumentSnapshot, ParseSpeeds, PDFDocument } from '@cantoo/pdf-lib';
import { withoutChangeTracking } from './change-tracking.js';

/** Reopens a revision this sealer has just written (already checked), to append one more update to it. */
export const reopenForUpdate = (bytes: Uint8Array): Promise<PDFDocument> =>
  PDFDocument.load(bytes, {
    forIncrementalUpdate: true,
    parseSpeed: ParseSpeeds.Fastest,
    updateMetadata: false,
    throwOnInvalidObject: false,
  });

/**
 * The update's bytes: objects changed since loading plus the new ones, never in an object stream (a signature
 * dictionary's /Contents must stay at a fixed offset). Saving only adds objects, so tracking is off meanwhile.
 */
export const saveIncrement = (pdf: PDFDocument): Promise<Uint8Array> => {
  const snapshot = pdf.context.snapshot;
  if (snapshot === undefined) throw new Error('document not loaded for an incremental update');
  return withoutChangeTracking(pdf.context, () =>
    pdf.saveIncremental(snapshot, { useObjectStreams: false, objectsPerTick: Number.POSITIVE_INFINITY }),
  );
};

export const concatBytes = (first: Uint8Array, second: Uint8Array): Uint8Array => {
  const joined = new Uint8Array(first.length + second.length);
  joined.set(first, 0);
  joined.set(second, first.length);
  return joined;
};

/**
 * pdf-lib marks the catalog for saving when it takes its snapshot at load, so an update would rewrite it unchanged.
 * Called before any change, this takes the same snapshot without that mark: the update then holds only the objects
 * really changed (tracked) and the new ones, e.g. a later signer's update redefines their signature field alone.
 */
export const trackOnlyChanges = (pdf: PDFDocument): void => {
  const { context } = pdf;
  const snapshot = context.snapshot;
  if (snapshot === undefined) throw new Error('document not loaded for an incremental update');
  context.snapshot = new IncrementalDocumentSnapshot(
    context.largestObjectNumber,
    new Set(),
    snapshot.pdfSize,
    snapshot.prevStartXRef,
    context,
  );
};
