import { type PDFDocument, type PDFFont, type PDFPage, rgb } from '@cantoo/pdf-lib';
import { wrapText } from './text-layout.js';
import { makeWinAnsiSanitizer } from './win-ansi.js';

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 50;
const WIDTH = A4[0] - 2 * MARGIN;
const LABEL_WIDTH = 160;

/** A top-to-bottom text flow over A4 pages: adds a page whenever the next line would not fit. */
export interface FlowWriter {
  readonly title: (text: string, subtitle: string) => void;
  readonly heading: (text: string) => void;
  readonly field: (label: string, value: string) => void;
  /** A label above a full-width value: for hashes and fingerprints, which read better unbroken. */
  readonly block: (label: string, value: string) => void;
  readonly paragraph: (text: string, size?: number) => void;
  readonly gap: (height: number) => void;
  /** Makes sure the current page keeps this much free height at its bottom (for the signature stamp). */
  readonly reserveBottom: (height: number) => void;
  readonly footer: (text: (page: number, of: number) => string) => void;
}

export const makeFlowWriter = (doc: PDFDocument, fonts: { regular: PDFFont; bold: PDFFont }): FlowWriter => {
  const sanitize = makeWinAnsiSanitizer(fonts.regular);
  let page: PDFPage = doc.addPage(A4);
  let y = A4[1] - MARGIN - 10;

  const ensure = (height: number) => {
    if (y - height >= MARGIN) return;
    page = doc.addPage(A4);
    y = A4[1] - MARGIN - 10;
  };

  const wrap = (text: string, font: PDFFont, size: number, width: number): string[] =>
    wrapText(font, sanitize(text), size, width);

  const draw = (text: string, x: number, size: number, font: PDFFont, grey = false) =>
    page.drawText(text, { x, y, size, font, color: grey ? rgb(0.35, 0.35, 0.4) : rgb(0.05, 0.08, 0.2) });

  return {
    title: (text, subtitle) => {
      draw(sanitize(text), MARGIN, 18, fonts.bold);
      y -= 20;
      draw(sanitize(subtitle), MARGIN, 10, fonts.regular, true);
      y -= 24;
    },
    heading: (text) => {
      ensure(40);
      y -= 8;
      draw(sanitize(text), MARGIN, 12, fonts.bold);
      page.drawLine({ start: { x: MARGIN, y: y - 4 }, end: { x: MARGIN + WIDTH, y: y - 4 }, thickness: 0.5 });
      y -= 20;
    },
    field: (label, value) => {
      const labelLines = wrap(label, fonts.bold, 9, LABEL_WIDTH - 10);
      const lines = wrap(value, fonts.regular, 9, WIDTH - LABEL_WIDTH);
      const rows = Math.max(labelLines.length, lines.length);
      ensure(12 * rows);
      for (let row = 0; row < rows; row++) {
        draw(labelLines[row] ?? '', MARGIN, 9, fonts.bold);
        draw(lines[row] ?? '', MARGIN + LABEL_WIDTH, 9, fonts.regular);
        y -= 12;
      }
    },
    block: (label, value) => {
      const lines = wrap(value, fonts.regular, 9, WIDTH);
      ensure(12 * (lines.length + 1));
      draw(sanitize(label), MARGIN, 9, fonts.bold);
      y -= 12;
      for (const line of lines) {
        draw(line, MARGIN, 9, fonts.regular);
        y -= 12;
      }
      y -= 2;
    },
    paragraph: (text, size = 9) => {
      for (const line of wrap(text, fonts.regular, size, WIDTH)) {
        ensure(size + 3);
        draw(line, MARGIN, size, fonts.regular);
        y -= size + 3;
      }
    },
    gap: (height) => {
      y -= height;
    },
    reserveBottom: (height) => {
      if (y - height >= 0) return;
      page = doc.addPage(A4);
      y = A4[1] - MARGIN - 10;
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
        });
      });
    },
  };
};
