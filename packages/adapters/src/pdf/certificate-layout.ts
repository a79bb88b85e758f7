import { type PDFDocument, type PDFFont, type PDFPage, rgb } from '@cantoo/pdf-lib';
import { wrapText } from './text-layout.js';
import { makeWinAnsiSanitizer } from './win-ansi.js';

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 50;
const TOP = A4[1] - MARGIN - 10;
const WIDTH = A4[0] - 2 * MARGIN;
const LABEL_WIDTH = 160;
const INK = rgb(0.05, 0.08, 0.2);
const GREY = rgb(0.35, 0.35, 0.4);

/**
 * A top-to-bottom text flow over A4 pages: adds a page whenever the next line would not fit. Each text may carry a
 * second-language version (`also`), printed in grey under the first.
 */
export interface FlowWriter {
  readonly title: (text: string, subtitle: string, also?: string) => void;
  readonly heading: (text: string, also?: string) => void;
  /** A label (its translation under it) on the left, the value on the right; several values go one per line. */
  readonly field: (label: string, value: string | ReadonlyArray<string>, also?: string) => void;
  /** A label above a full-width value: for hashes and fingerprints, which read better unbroken. */
  readonly block: (label: string, value: string, also?: string) => void;
  readonly paragraph: (text: string, options?: { readonly grey?: boolean; readonly bold?: boolean }) => void;
  readonly gap: (height: number) => void;
  /**
   * Draws what `draw` writes on one page: on the next one when it would not fit on this one (and fits on a page),
   * with `bottom` more height kept free under it. So a section's last lines never sit alone on a page.
   */
  readonly keepTogether: (draw: () => void, bottom?: number) => void;
  readonly footer: (text: (page: number, of: number) => string) => void;
}

// A label the second language writes the same way (Email, Mobile) is printed once.
const translated = (text: string, also: string | undefined): also is string =>
  also !== undefined && also !== text;

export const makeFlowWriter = (doc: PDFDocument, fonts: { regular: PDFFont; bold: PDFFont }): FlowWriter => {
  const sanitize = makeWinAnsiSanitizer(fonts.regular);
  let page: PDFPage = doc.addPage(A4);
  let y = TOP;
  // While measuring, nothing is drawn and no page is added: only `y` moves.
  let measuring = false;

  const newPage = () => {
    page = doc.addPage(A4);
    y = TOP;
  };
  const ensure = (height: number) => {
    if (!measuring && y - height < MARGIN) newPage();
  };

  const wrap = (text: string, font: PDFFont, size: number, width: number): string[] =>
    wrapText(font, sanitize(text), size, width);

  const draw = (text: string, x: number, size: number, font: PDFFont, grey = false) => {
    if (!measuring && text !== '') page.drawText(text, { x, y, size, font, color: grey ? GREY : INK });
  };

  const measure = (write: () => void): number => {
    const [y0, was] = [y, measuring];
    measuring = true;
    try {
      write();
      return y0 - y;
    } finally {
      [y, measuring] = [y0, was];
    }
  };

  return {
    title: (text, subtitle, also) => {
      draw(sanitize(text), MARGIN, 18, fonts.bold);
      y -= 20;
      if (also !== undefined) {
        draw(sanitize(also), MARGIN, 13, fonts.regular, true);
        y -= 17;
      }
      for (const line of wrap(subtitle, fonts.regular, 10, WIDTH)) {
        draw(line, MARGIN, 10, fonts.regular, true);
        y -= 13;
      }
      y -= 11;
    },
    heading: (text, also) => {
      // With room for the first lines under it: a heading never ends a page.
      ensure(44);
      y -= 8;
      draw(sanitize(text), MARGIN, 12, fonts.bold);
      if (translated(text, also)) {
        const x = MARGIN + fonts.bold.widthOfTextAtSize(sanitize(text), 12) + 8;
        draw(sanitize(`/ ${also}`), x, 11, fonts.regular, true);
      }
      if (!measuring) {
        page.drawLine({
          start: { x: MARGIN, y: y - 4 },
          end: { x: MARGIN + WIDTH, y: y - 4 },
          thickness: 0.5,
        });
      }
      y -= 20;
    },
    field: (label, value, also) => {
      const labelLines = wrap(label, fonts.bold, 9, LABEL_WIDTH - 10);
      const alsoLines = translated(label, also) ? wrap(also, fonts.regular, 8, LABEL_WIDTH - 10) : [];
      const lines = (typeof value === 'string' ? [value] : value).flatMap((text) =>
        wrap(text, fonts.regular, 9, WIDTH - LABEL_WIDTH),
      );
      const rows = Math.max(labelLines.length + alsoLines.length, lines.length);
      ensure(12 * rows);
      for (let row = 0; row < rows; row++) {
        if (row < labelLines.length) draw(labelLines[row]!, MARGIN, 9, fonts.bold);
        else draw(alsoLines[row - labelLines.length] ?? '', MARGIN, 8, fonts.regular, true);
        draw(lines[row] ?? '', MARGIN + LABEL_WIDTH, 9, fonts.regular);
        y -= 12;
      }
    },
    block: (label, value, also) => {
      const lines = wrap(value, fonts.regular, 9, WIDTH);
      const title = translated(label, also) ? `${label} / ${also}` : label;
      const titleLines = wrap(title, fonts.bold, 9, WIDTH);
      ensure(12 * (lines.length + titleLines.length));
      for (const line of titleLines) {
        draw(line, MARGIN, 9, fonts.bold);
        y -= 12;
      }
      for (const line of lines) {
        draw(line, MARGIN, 9, fonts.regular);
        y -= 12;
      }
      y -= 2;
    },
    paragraph: (text, options = {}) => {
      const font = options.bold === true ? fonts.bold : fonts.regular;
      for (const line of wrap(text, font, 9, WIDTH)) {
        ensure(12);
        draw(line, MARGIN, 9, font, options.grey === true);
        y -= 12;
      }
      y -= 3;
    },
    gap: (height) => {
      y -= height;
    },
    keepTogether: (write, bottom = 0) => {
      const height = measure(write) + bottom;
      if (height <= TOP - MARGIN) ensure(height);
      write();
    },
    footer: (text) => {
      const pages = doc.getPages();
      pages.forEach((p, i) => {
        // At the top: the bottom of the last page is kept free for the seal's stamp.
        p.drawText(sanitize(text(i + 1, pages.length)), {
          x: MARGIN,
          y: A4[1] - 30,
          size: 8,
          font: fonts.regular,
          color: GREY,
        });
      });
    },
  };
};

/** The height from the bottom of a page up to the flow's lowest line. */
export const FLOW_BOTTOM_MARGIN = MARGIN;
