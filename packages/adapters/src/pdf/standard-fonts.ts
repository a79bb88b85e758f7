import {
  type PDFContext,
  type PDFHexString,
  type PDFRef,
  StandardFontEmbedder,
  type StandardFonts,
} from '@cantoo/pdf-lib';

/** What drawing text with a font needs; pdf-lib's `PDFFont` has the same shape. */
export interface DrawingFont {
  readonly ref: PDFRef;
  readonly widthOfTextAtSize: (text: string, size: number) => number;
  readonly encodeText: (text: string) => PDFHexString;
  readonly getCharacterSet: () => number[];
}

// The embedder's font name type is not exported; the StandardFonts enum holds exactly its values.
type FontName = Parameters<typeof StandardFontEmbedder.for>[0];

// Metrics and encoding do not depend on the document: one embedder per font for the whole process.
const embedders = new Map<StandardFonts, StandardFontEmbedder>();
const embedderFor = (font: StandardFonts): StandardFontEmbedder => {
  let embedder = embedders.get(font);
  if (embedder === undefined) {
    embedder = StandardFontEmbedder.for(font as unknown as FontName);
    embedders.set(font, embedder);
  }
  return embedder;
};

/**
 * Adds a standard font's dictionary (/Type1, WinAnsiEncoding: the one `PDFDocument.embedFont` writes) to
 * the document now, with cached metrics: no per-document `PDFFont`, nothing left to embed at save time.
 */
export const addStandardFont = (context: PDFContext, font: StandardFonts): DrawingFont => {
  const embedder = embedderFor(font);
  return {
    ref: embedder.embedIntoContext(context),
    widthOfTextAtSize: (text, size) => embedder.widthOfTextAtSize(text, size),
    encodeText: (text) => embedder.encodeText(text),
    getCharacterSet: () => embedder.encoding.supportedCodePoints,
  };
};
