/** What measuring text needs; pdf-lib's `PDFFont` and our `DrawingFont` both have it. */
export interface MeasurableFont {
  readonly widthOfTextAtSize: (text: string, size: number) => number;
}

/** A font's advance widths and kerning, in glyph units (1/1000 of the size), each read once and then cached. */
export interface GlyphMetrics {
  readonly advance: (char: string) => number;
  readonly kern: (left: string, right: string) => number;
}

const cache = new WeakMap<MeasurableFont, GlyphMetrics>();

/**
 * Reads a font's metrics through `widthOfTextAtSize` at size 1000, where pdf-lib's scale is exactly 1: a text's
 * width is then the running sum of its advances and of the kerning between neighbours, in integers, the very
 * total pdf-lib computes for the whole text; scaled the same way it gives the same number, bit for bit.
 */
export const glyphMetrics = (font: MeasurableFont): GlyphMetrics => {
  const cached = cache.get(font);
  if (cached !== undefined) return cached;
  const advances = new Map<string, number>();
  const kerns = new Map<string, number>();
  const advance = (char: string): number => {
    let width = advances.get(char);
    if (width === undefined) {
      width = font.widthOfTextAtSize(char, 1000);
      advances.set(char, width);
    }
    return width;
  };
  const metrics: GlyphMetrics = {
    advance,
    kern: (left, right) => {
      // Two code points concatenated split back only one way: the key is unambiguous.
      const pair = left + right;
      let kern = kerns.get(pair);
      if (kern === undefined) {
        kern = font.widthOfTextAtSize(pair, 1000) - advance(left) - advance(right);
        kerns.set(pair, kern);
      }
      return kern;
    },
  };
  cache.set(font, metrics);
  return metrics;
};

const fitsAt = (size: number, width: number) => {
  const scale = size / 1000;
  return (units: number): boolean => units * scale <= width;
};

/** A word's width in glyph units, its first and its last character ('' for an empty word). */
const measureWord = (metrics: GlyphMetrics, word: string): { units: number; first: string; last: string } => {
  let units = 0;
  let first = '';
  let last = '';
  for (const char of word) {
    if (last === '') first = char;
    units += (last === '' ? 0 : metrics.kern(last, char)) + metrics.advance(char);
    last = char;
  }
  return { units, first, last };
};

/**
 * Breaks text into lines no wider than `width`: at spaces (the space at a break is dropped), and inside a word only
 * where a line is full, when the word alone is wider than a line (a hash, a user agent, a long address). Each
 * character's width is added once or twice, so the time is linear in the text's length. A line is never empty,
 * except the one line of a blank text; a single character wider than the width makes a line of its own.
 */
export const wrapText = (font: MeasurableFont, text: string, size: number, width: number): string[] => {
  const metrics = glyphMetrics(font);
  const fits = fitsAt(size, width);
  const space = metrics.advance(' ');
  const lines: string[] = [];
  let line = '';
  let lineUnits = 0;
  let lineLast = '';
  for (const word of text.split(' ')) {
    const measured = measureWord(metrics, word);
    if (line === '') {
      if (fits(measured.units)) {
        line = word;
        lineUnits = measured.units;
        lineLast = measured.last;
        continue;
      }
    } else {
      const withSpace = lineUnits + metrics.kern(lineLast, ' ') + space;
      const units = word === '' ? withSpace : withSpace + metrics.kern(' ', measured.first) + measured.units;
      if (fits(units)) {
        line = `${line} ${word}`;
        lineUnits = units;
        lineLast = word === '' ? ' ' : measured.last;
        continue;
      }
      lines.push(line);
    }
    // The word starts a line and is wider than one: cut it where each line is full. Widths only grow with each
    // added character (an advance outweighs any kerning in the standard fonts), so the first character that
    // overflows ends the longest prefix that fits.
    let start = 0;
    let units = 0;
    let last = '';
    let index = 0;
    for (const char of word) {
      const next =
        last === '' ? metrics.advance(char) : units + metrics.kern(last, char) + metrics.advance(char);
      if (index > start && !fits(next)) {
        lines.push(word.slice(start, index));
        start = index;
        units = metrics.advance(char);
      } else {
        units = next;
      }
      last = char;
      index += char.length;
    }
    line = word.slice(start);
    lineUnits = units;
    lineLast = last;
  }
  if (line !== '') lines.push(line);
  return lines.length === 0 ? [''] : lines;
};

/**
 * Shortens text with an ellipsis until it fits the width at the given size (keeping at least one character). After
 * one measure of the whole text, it walks the text only while its prefix fits the width.
 */
export const fitToWidth = (font: MeasurableFont, text: string, size: number, maxWidth: number): string => {
  if (font.widthOfTextAtSize(text, size) <= maxWidth) return text;
  const metrics = glyphMetrics(font);
  const fits = fitsAt(size, maxWidth);
  const ellipsis = metrics.advance('…');
  let end = 0;
  let units = 0;
  let last = '';
  let index = 0;
  for (const char of text) {
    units += (last === '' ? 0 : metrics.kern(last, char)) + metrics.advance(char);
    // The ellipsis is wider than any kerning is negative: past a prefix too wide alone, none fits with it.
    if (index > 0 && !fits(units)) break;
    index += char.length;
    if (index === char.length || fits(units + metrics.kern(char, '…') + ellipsis)) end = index;
    last = char;
  }
  return `${text.slice(0, end)}…`;
};
