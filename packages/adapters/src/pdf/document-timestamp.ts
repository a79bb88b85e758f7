import { PDFArray, PDFDict, PDFName, PDFNumber, PDFString } from '@cantoo/pdf-lib';
import type { SealingError } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { withoutChangeTracking } from './change-tracking.js';
import {
  byteRangePlaceholder,
  contentsPlaceholder,
  embedSignature,
  type PreparedSignature,
  prepareSignature,
} from './incremental-signature.js';
import { reopenForUpdate, saveIncrement } from './incremental-update.js';
import { requestTimestamp, type TimestampAuthorityConfig } from './timestamp-client.js';

/** Room for a TimeStampToken with the TSA's certificate chain. */
export const DOCUMENT_TIMESTAMP_RESERVED_BYTES = 16_384;

const name = (key: string): PDFName => PDFName.of(key);

/**
 * Appends the update of a document timestamp (ISO 32000-2 §12.8.5, PAdES B-LTA): a /DocTimeStamp dictionary
 * with /SubFilter /ETSI.RFC3161 in an invisible signature field, its /Contents still to be filled.
 */
export const prepareDocumentTimestamp = async (
  pdfBytes: Uint8Array,
  reservedBytes = DOCUMENT_TIMESTAMP_RESERVED_BYTES,
): Promise<PreparedSignature> => {
  const pdf = await reopenForUpdate(pdfBytes);
  const { context } = pdf;
  const page = pdf.getPage(pdf.getPageCount() - 1);
  let form = pdf.catalog.lookupMaybe(name('AcroForm'), PDFDict);
  if (form === undefined) {
    form = context.obj({});
    pdf.catalog.set(name('AcroForm'), context.register(form));
  }
  const fields = form.lookupMaybe(name('Fields'), PDFArray);
  const annots = page.node.lookupMaybe(name('Annots'), PDFArray);
  const built = await withoutChangeTracking(context, () => {
    const timestamp = context.obj({
      Type: 'DocTimeStamp',
      Filter: 'Adobe.PPKLite',
      SubFilter: 'ETSI.RFC3161',
    });
    // /ByteRange before /Contents: prepareSignature finds the hole after the placeholder.
    timestamp.set(name('ByteRange'), byteRangePlaceholder());
    timestamp.set(name('Contents'), contentsPlaceholder(reservedBytes));
    const widget = context.obj({
      Type: 'Annot',
      Subtype: 'Widget',
      FT: 'Sig',
      F: 132, // Print | Locked
      Rect: [0, 0, 0, 0],
      P: page.ref,
      V: context.register(timestamp),
    });
    widget.set(name('T'), PDFString.of(`DocumentTimestamp${(fields?.size() ?? 0) + 1}`));
    const widgetRef = context.register(widget);
    // New arrays rather than in-place pushes, as for the stamp: a push would normalise the page.
    return {
      annots: context.obj([...(annots?.asArray() ?? []), widgetRef]),
      fields: context.obj([...(fields?.asArray() ?? []), widgetRef]),
    };
  });
  page.node.set(name('Annots'), built.annots);
  form.set(name('Fields'), built.fields);
  form.set(name('SigFlags'), PDFNumber.of(3));
  return prepareSignature(pdfBytes, await saveIncrement(pdf));
};

/** Seals the whole file, as it stands, with a document timestamp from the TSA (the last step of B-LTA). */
export const appendDocumentTimestamp = (
  tsa: TimestampAuthorityConfig,
  pdfBytes: Uint8Array,
  onFailure: (e: unknown) => SealingError,
): TE.TaskEither<SealingError, Uint8Array> =>
  pipe(
    TE.tryCatch(() => prepareDocumentTimestamp(pdfBytes), onFailure),
    TE.chain((prepared) =>
      pipe(
        requestTimestamp(tsa, prepared.digest),
        TE.chainEitherK((token) => E.tryCatch(() => embedSignature(prepared, token), onFailure)),
      ),
    ),
  );
