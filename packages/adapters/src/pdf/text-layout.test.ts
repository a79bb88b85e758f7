import { PDFDocument, type PDFFont, StandardFonts } from '@cantoo/pdf-lib';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { clip } from './print-limits.js';
import { fitToWidth, type MeasurableFont, wrapText } from './text-layout.js';
import { makeWinAnsiSanitizer } from './win-ansi.js';

// The model: how the layout measured before, every candidate line measured whole (cubic on a long word).
const modelWrap = (font: MeasurableFont, text: string, size: number, width: number): string[] => {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const candidate = line === '' ? word : `${line} ${word}`;
    if (font.widthOfTextAtSize(candidate, size) <= width) {
      line = candidate;
      continue;
    }
    if (line !== '') lines.push(line);
    let rest = word;
    while (font.widthOfTextAtSize(rest, size) > width && rest.length > 1) {
      let cut = rest.length - 1;
      while (cut > 1 && font.widthOfTextAtSize(rest.slice(0, cut), size) > width) cut -= 1;
      lines.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    line = rest;
  }
  if (line !== '') lines.push(line);
  return lines.length === 0 ? [''] : lines;
};

const modelFit = (font: MeasurableFont, text: string, size: number, maxWidth: number): string => {
  if (font.widthOfTextAtSize(text, size) <= maxWidth) return text;
  let chars = [...text];
  while (chars.length > 1 && font.widthOfTextAtSize(`${chars.join('')}…`, size) > maxWidth)
    chars = chars.slice(0, -1);
  return `${chars.join('')}…`;
};

/** Checks that the lines are the text in order, only spaces at the breaks (or before the first) left out. */
const expectSameText = (text: string, lines: ReadonlyArray<string>): void => {
  let at = 0;
  for (const line of lines) {
    while (text[at] === ' ') at += 1;
    expect(text.startsWith(line, at), `${JSON.stringify(line)} at ${at}`).toBe(true);
    at += line.length;
  }
  expect(text.slice(at).trim()).toBe('');
};

const printable = fc.string({
  unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzAVWTwy.,-/;:()0123456789'),
});
// A user agent, a hash, an address: far wider than any line.
const unbreakable = fc.string({
  unit: fc.constantFrom(...'ABCDEFabcdef0123456789/._-;()@'),
  minLength: 60,
  maxLength: 600,
});
// Characters WinAnsi lacks (CJK, emoji, Polish, Hungarian, combining marks), and the spaces the sanitizer maps.
const foreign = fc.string({
  unit: fc.oneof(
    fc.constantFrom('山', '田', '😀', 'ł', 'Ł', 'ő', 'é', '\u0301', '\u2003', '\n', '\t', '€', '…'),
    fc.string({ unit: 'binary', maxLength: 1 }),
  ),
  maxLength: 8,
});
const text = fc
  .array(fc.oneof(printable, unbreakable, foreign, fc.constantFrom(' ', '  ', ' — ')), { maxLength: 30 })
  .map((parts) => parts.join(''));

describe('text layout', () => {
  let fonts: ReadonlyArray<PDFFont>;
  beforeAll(async () => {
    const doc = await PDFDocument.create();
    fonts = [await doc.embedFont(StandardFonts.Helvetica), await doc.embedFont(StandardFonts.HelveticaBold)];
  });
  const fontIndex = fc.constantFrom(0, 1);
  const size = fc.constantFrom(7.5, 9, 10, 12, 18);

  it('keeps every character of the text, in order, and every line within the width', () => {
    fc.assert(
      fc.property(text, fontIndex, size, fc.integer({ min: 1, max: 500 }), (raw, i, pt, width) => {
        const font = fonts[i]!;
        const sanitize = makeWinAnsiSanitizer(font);
        const sanitized = sanitize(raw);
        const lines = wrapText(font, sanitized, pt, width);
        expectSameText(sanitized, lines);
        for (const line of lines) {
          // A character wider than the whole width gets a line of its own; nothing else overflows.
          if ([...line].length > 1) expect(font.widthOfTextAtSize(line, pt)).toBeLessThanOrEqual(width);
          expect(line === '' && lines.length > 1).toBe(false);
          expect(sanitize(line)).toBe(line);
        }
      }),
      { numRuns: 300 },
    );
  });

  // Most widths are exactly the width of one of the text's own prefixes, often one ending before a space: breaks then
  // fall on the boundary, where a single kerning pair left out would move them.
  const widthFor = (
    font: MeasurableFont,
    sanitized: string,
    pt: number,
    choice: number,
    fallback: number,
  ) => {
    if (choice < 0) return fallback;
    const ends = [...sanitized.matchAll(/(?<=[^ ])(?= |$)/g)].map((m) => m.index);
    const end =
      choice % 2 === 0 && ends.length > 0 ? ends[choice % ends.length]! : choice % (sanitized.length + 1);
    return Math.max(1, font.widthOfTextAtSize(sanitized.slice(0, end), pt));
  };
  const choice = fc.integer({ min: -200, max: 600 });

  it('breaks ordinary text exactly where measuring every candidate line whole did', () => {
    fc.assert(
      fc.property(text, fontIndex, size, choice, fc.integer({ min: 30, max: 500 }), (raw, i, pt, c, w) => {
        const font = fonts[i]!;
        const sanitized = makeWinAnsiSanitizer(font)(raw).slice(0, 400);
        const width = widthFor(font, sanitized, pt, c, w);
        expect(wrapText(font, sanitized, pt, width)).toStrictEqual(modelWrap(font, sanitized, pt, width));
      }),
      { numRuns: 500 },
    );
  });

  it('cuts a line with an ellipsis exactly where shortening it one character at a time did', () => {
    fc.assert(
      fc.property(text, fontIndex, size, choice, fc.integer({ min: 1, max: 300 }), (raw, i, pt, c, w) => {
        const font = fonts[i]!;
        const sanitized = makeWinAnsiSanitizer(font)(raw).slice(0, 300);
        const width = widthFor(font, `${sanitized}…`, pt, c, w);
        const fitted = fitToWidth(font, sanitized, pt, width);
        expect(fitted).toBe(modelFit(font, sanitized, pt, width));
        if (fitted !== sanitized) expect(sanitized.startsWith(fitted.slice(0, -1))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('counts the kerning around the space at a break and inside a cut word, as pdf-lib measures', () => {
    const font = fonts[0]!;
    // "." before a space and a space before "Y" kern by -60 and -90 units; "AV" by -70.
    expect(wrapText(font, 'end. Yes', 9, font.widthOfTextAtSize('end. Yes', 9))).toStrictEqual(['end. Yes']);
    const width = font.widthOfTextAtSize('AVAVAV', 9);
    expect(wrapText(font, 'AVAVAVAVAV', 9, width)).toStrictEqual(['AVAVAV', 'AVAV']);
  });

  it('wraps an 8,000-character user agent without spaces into full lines, losing nothing', () => {
    const userAgent = 'Mozilla/5.0(X11;Linux_x86_64)AppleWebKit/537.36;'.repeat(170).slice(0, 8000);
    const lines = wrapText(fonts[0]!, userAgent, 9, 335);
    expect(lines.join('')).toBe(userAgent);
    let at = 0;
    for (const line of lines.slice(0, -1)) {
      at += line.length;
      expect(fonts[0]!.widthOfTextAtSize(line, 9)).toBeLessThanOrEqual(335);
      // Full: with the next character it would not have fitted.
      expect(fonts[0]!.widthOfTextAtSize(line + userAgent.charAt(at), 9)).toBeGreaterThan(335);
    }
  });

  it('keeps the spaces inside a line and drops the ones at a break', () => {
    expect(wrapText(fonts[0]!, '', 9, 100)).toStrictEqual(['']);
    expect(wrapText(fonts[0]!, '   ', 9, 100)).toStrictEqual(['']);
    expect(wrapText(fonts[0]!, ' a  b', 9, 100)).toStrictEqual(['a  b']);
    expect(wrapText(fonts[0]!, 'aaaa bbbb', 9, 25)).toStrictEqual(['aaaa', 'bbbb']);
  });

  it('cuts a value at its print limit, never inside a surrogate pair', () => {
    expect(clip('abc', 3)).toBe('abc');
    expect(clip('abcd', 3)).toBe('abc…');
    expect(clip('ab😀d', 3)).toBe('ab…');
    expect(clip('ab😀d', 4)).toBe('ab😀…');
  });
});
