import {
  beginText,
  endText,
  fillAndStroke,
  moveText,
  PDFContentStream,
  type PDFContext,
  type PDFOperator,
  type PDFRef,
  popGraphicsState,
  pushGraphicsState,
  rectangle,
  setDashPattern,
  setFillingRgbColor,
  setFontAndSize,
  setLineWidth,
  setStrokingRgbColor,
  showText,
  stroke,
} from '@cantoo/pdf-lib';
import type { Language } from '@paraphe/domain';
import { clip, PRINT_LIMITS } from './print-limits.js';
import type { DrawingFont } from './standard-fonts.js';
import { fitToWidth } from './text-layout.js';
import { makeWinAnsiSanitizer } from './win-ansi.js';

export const STAMP_WIDTH = 280;
export const STAMP_HEIGHT = 74;
const PADDING = 8;

export interface StampContent {
  readonly signerName: string;
  readonly signedAt: Date;
  readonly timeZone: string;
  readonly language: Language;
  readonly procedureId: string;
  readonly originalSha256: string;
  /** The certificate's stamp names the procedure it certifies instead of a hash no reader could relate to anything. */
  readonly subject?: 'document' | 'certificate';
}

// Creating an Intl.DateTimeFormat costs more than the whole stamp, so formatters are reused. The zone comes
// from the request and accepts case variants, hence the cap: the cache cannot grow without bound.
const MAX_FORMATTERS = 512;
const formatters = new Map<string, Intl.DateTimeFormat>();
const formatterFor = (timeZone: string, language: Language): Intl.DateTimeFormat => {
  const key = `${language} ${timeZone}`;
  let formatter = formatters.get(key);
  if (formatter === undefined) {
    // Throws RangeError on an unknown zone, before anything is cached.
    formatter = new Intl.DateTimeFormat(language === 'fr' ? 'fr-FR' : 'en-GB', {
      timeZone,
      year: 'numeric',
      month: 'long',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      timeZoneName: 'shortOffset',
    });
    if (formatters.size >= MAX_FORMATTERS) formatters.clear();
    formatters.set(key, formatter);
  }
  return formatter;
};

/** Formats the signing instant in the signer's zone with its UTC offset; throws RangeError on an unknown zone. */
export const formatSigningTime = (at: Date, timeZone: string, language: Language): string =>
  formatterFor(timeZone, language).format(at);

/** The stamp's lines, the first one being the signer's name; each value cut at its print limit. */
export const stampLines = (content: StampContent): ReadonlyArray<string> => {
  const when = `${formatSigningTime(content.signedAt, content.timeZone, content.language)} (${content.timeZone})`;
  const name = clip(content.signerName, PRINT_LIMITS.name);
  const procedureId = clip(content.procedureId, PRINT_LIMITS.procedureId);
  const shortHash = content.originalSha256.slice(0, 16);
  if (content.subject === 'certificate') {
    return content.language === 'fr'
      ? [
          name,
          `Scellé par ${name}`,
          `le ${when}`,
          `Certificat de signature de la procédure ${procedureId}`,
          'Ce sceau protège ce certificat, pas le document signé',
        ]
      : [
          name,
          `Sealed by ${name}`,
          `on ${when}`,
          `Certificate of signature of procedure ${procedureId}`,
          'This seal protects this certificate, not the signed document',
        ];
  }
  return content.language === 'fr'
    ? [
        name,
        `Signé électroniquement par ${name}`,
        `le ${when}`,
        `Procédure : ${procedureId}`,
        `Empreinte SHA-256 de l'original : ${shortHash}`,
      ]
    : [
        name,
        `Electronically signed by ${name}`,
        `on ${when}`,
        `Procedure: ${procedureId}`,
        `Original SHA-256: ${shortHash}`,
      ];
};

export interface StampFonts {
  readonly regular: DrawingFont;
  readonly bold: DrawingFont;
}

/** A stamp-sized form XObject drawing `ops` with `fonts`, registered in the document. */
const stampForm = (
  context: PDFContext,
  ops: ReadonlyArray<PDFOperator>,
  fonts: Readonly<Record<string, PDFRef>>,
): PDFRef =>
  context.register(
    // Left uncompressed: deflating these few hundred bytes cost more than the rest of the save.
    PDFContentStream.of(
      context.obj({
        Type: 'XObject',
        Subtype: 'Form',
        BBox: [0, 0, STAMP_WIDTH, STAMP_HEIGHT],
        Matrix: [1, 0, 0, 1, 0, 0],
        Resources: { Font: fonts },
      }),
      [...ops],
      false,
    ),
  );
/**
 * Builds the signature widget's normal appearance (/AP /N): the stamp lives in the annotation, so the
 * page's /Contents stay byte-identical and earlier signatures see only an added annotation.
 */
export const stampAppearance = (
  context: PDFContext,
  fonts: StampFonts,
  lines: ReadonlyArray<string>,
): PDFRef => {
  const sanitize = makeWinAnsiSanitizer(fonts.regular);
  const maxWidth = STAMP_WIDTH - 2 * PADDING;
  const ops: PDFOperator[] = [
    pushGraphicsState(),
    setFillingRgbColor(0.96, 0.97, 1),
    setStrokingRgbColor(0.15, 0.3, 0.6),
    setLineWidth(1),
    rectangle(0.5, 0.5, STAMP_WIDTH - 1, STAMP_HEIGHT - 1),
    fillAndStroke(),
    setFillingRgbColor(0.05, 0.1, 0.25),
    beginText(),
  ];
  let y = STAMP_HEIGHT - PADDING - 10;
  lines.forEach((raw, index) => {
    const [font, key, size] =
      index === 0 ? ([fonts.bold, 'F2', 10] as const) : ([fonts.regular, 'F1', 7.5] as const);
    const text = fitToWidth(font, sanitize(raw), size, maxWidth);
    ops.push(
      setFontAndSize(key, size),
      moveText(index === 0 ? PADDING : 0, index === 0 ? y : -(index === 1 ? 14 : 11)),
    );
    ops.push(showText(font.encodeText(text)));
    y -= 11;
  });
  ops.push(endText(), popGraphicsState());
  return stampForm(context, ops, { F1: fonts.regular.ref, F2: fonts.bold.ref });
};

/** What an empty signer's field says until that signer signs. */
export const awaitedLabel = (position: number, language: Language): string =>
  language === 'fr' ? `Signature attendue : ${position + 1}` : `Awaiting signature ${position + 1}`;

/**
 * The appearance of a signature field still awaiting its signer: a dashed grey frame and one line. Drawn rather
 * than left blank so that a partly signed document (which the sender may download) shows where each remaining
 * signature will go, and that it is awaited rather than missing.
 */
export const awaitedAppearance = (context: PDFContext, font: DrawingFont, label: string): PDFRef => {
  const size = 9;
  const text = fitToWidth(font, makeWinAnsiSanitizer(font)(label), size, STAMP_WIDTH - 2 * PADDING);
  const ops: PDFOperator[] = [
    pushGraphicsState(),
    setStrokingRgbColor(0.55, 0.55, 0.6),
    setLineWidth(1),
    setDashPattern([3, 3], 0),
    rectangle(0.5, 0.5, STAMP_WIDTH - 1, STAMP_HEIGHT - 1),
    stroke(),
    setFillingRgbColor(0.45, 0.45, 0.5),
    beginText(),
    setFontAndSize('F1', size),
    moveText(PADDING, (STAMP_HEIGHT - size) / 2),
    showText(font.encodeText(text)),
    endText(),
    popGraphicsState(),
  ];
  return stampForm(context, ops, { F1: font.ref });
};
