import {
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  type PDFNumber,
  PDFRawStream,
  PDFRef,
  PDFStream,
  PDFString,
} from '@cantoo/pdf-lib';

export interface SlotWidget {
  readonly name: string;
  readonly objectNumber: number;
  readonly pageIndex: number;
  readonly rect: readonly [number, number, number, number];
  readonly signed: boolean;
  /** The strings its appearance shows, decoded (WinAnsi, which is Latin-1 for these labels). */
  readonly shownText: ReadonlyArray<string>;
}

const shownStrings = (stream: PDFRawStream | undefined): ReadonlyArray<string> => {
  if (stream === undefined) return [];
  const text = Buffer.from(stream.contents).toString('latin1');
  return [...text.matchAll(/<([0-9A-Fa-f]*)>\s*Tj/g)].map((m) =>
    Buffer.from(m[1]!, 'hex').toString('latin1'),
  );
};

/** The `ParapheSigner<n>` fields of a PDF in /Fields order, read with pdf-lib. */
export const slotWidgets = async (pdf: Uint8Array): Promise<ReadonlyArray<SlotWidget>> => {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const pages = doc.getPages().map((p) => p.ref.objectNumber);
  const fields = doc.catalog
    .lookupMaybe(PDFName.of('AcroForm'), PDFDict)
    ?.lookupMaybe(PDFName.of('Fields'), PDFArray);
  const found: SlotWidget[] = [];
  for (let i = 0; i < (fields?.size() ?? 0); i++) {
    const ref = fields?.get(i);
    const field = fields?.lookupMaybe(i, PDFDict);
    const name = field?.lookupMaybe(PDFName.of('T'), PDFString, PDFHexString)?.decodeText();
    if (field === undefined || !(ref instanceof PDFRef) || !name?.startsWith('ParapheSigner')) continue;
    const rect = field
      .lookup(PDFName.of('Rect'), PDFArray)
      .asArray()
      .map((n) => (n as PDFNumber).asNumber());
    const page = field.get(PDFName.of('P'));
    const stream = field.lookupMaybe(PDFName.of('AP'), PDFDict)?.lookupMaybe(PDFName.of('N'), PDFStream);
    const appearance = stream instanceof PDFRawStream ? stream : undefined;
    found.push({
      name,
      objectNumber: ref.objectNumber,
      pageIndex: page instanceof PDFRef ? pages.indexOf(page.objectNumber) : -1,
      rect: rect as unknown as SlotWidget['rect'],
      signed: field.has(PDFName.of('V')),
      shownText: shownStrings(appearance),
    });
  }
  return found;
};

/** Each page's /Annots entries as written (references), to compare two revisions' pages. */
export const pageAnnotations = async (pdf: Uint8Array): Promise<ReadonlyArray<ReadonlyArray<string>>> => {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  return doc
    .getPages()
    .map((p) => (p.node.lookupMaybe(PDFName.of('Annots'), PDFArray)?.asArray() ?? []).map(String));
};

/** The object numbers an update (bytes after `previous`) defines. */
export const objectsDefinedAfter = (previous: Uint8Array, pdf: Uint8Array): ReadonlyArray<number> =>
  [
    ...Buffer.from(pdf.subarray(previous.length))
      .toString('latin1')
      .matchAll(/^(\d+) 0 obj\b/gm),
  ].map((m) => Number(m[1]));

/** The highest object number a file defines (every revision). */
export const highestObjectNumber = (pdf: Uint8Array): number =>
  Math.max(
    ...[
      ...Buffer.from(pdf)
        .toString('latin1')
        .matchAll(/\/Size\s+(\d+)/g),
    ].map((m) => Number(m[1]) - 1),
  );

export const isPrefix = (prefix: Uint8Array, of: Uint8Array): boolean =>
  of.length >= prefix.length && Buffer.from(of.subarray(0, prefix.length)).equals(Buffer.from(prefix));
