import { PDFArray, PDFDict, PDFName, PDFNumber, type PDFPage, PDFStream } from '@cantoo/pdf-lib';
import { decodeStreamWithin } from './bounded-stream-decode.js';
import { type Operand, type ScanBudget, scanContentStream } from './content-stream-scanner.js';

type Matrix = readonly [number, number, number, number, number, number];
const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];

const multiply = (m: Matrix, n: Matrix): Matrix => [
  m[0] * n[0] + m[1] * n[2],
  m[0] * n[1] + m[1] * n[3],
  m[2] * n[0] + m[3] * n[2],
  m[2] * n[1] + m[3] * n[3],
  m[4] * n[0] + m[5] * n[2] + n[4],
  m[4] * n[1] + m[5] * n[3] + n[5],
];

const yOf = (m: Matrix, x: number, y: number): number => m[1] * x + m[3] * y + m[5];

/** Decoded bytes and operators read for one page, forms included (each time one is drawn). */
export const INK_SCAN_BUDGET: Readonly<ScanBudget> = { bytes: 8 * 1024 * 1024, operators: 1_000_000 };
const MAX_FORM_DEPTH = 8;
const MAX_SAVED_STATES = 256;

// The operands each operator that moves or paints must have ('n' number, 's' string, 'a' array, '/' name);
// any other shape is a malformed stream, which a viewer may draw otherwise than we read it.
const SIGNATURES: Readonly<Record<string, string>> = {
  ...Object.fromEntries('q Q BT T* S s f F f* B B* b b* n BI'.split(' ').map((op) => [op, ''])),
  ...Object.fromEntries('cm Tm c'.split(' ').map((op) => [op, 'nnnnnn'])),
  ...Object.fromEntries('v y re'.split(' ').map((op) => [op, 'nnnn'])),
  ...Object.fromEntries('Td TD m l'.split(' ').map((op) => [op, 'nn'])),
  Tf: '/n',
  TL: 'n',
  Tj: 's',
  "'": 's',
  '"': 'nns',
  TJ: 'a',
  Do: '/',
  sh: '/',
};
const KIND = { n: 'number', s: 'string', a: 'array', '/': 'name' } as const;
const fits = (signature: string, operands: ReadonlyArray<Operand>, count: number): boolean =>
  count === signature.length && operands.every((o, i) => o.kind === KIND[signature[i] as keyof typeof KIND]);

const num = (operands: ReadonlyArray<Operand>, i: number): number => {
  const o = operands[i];
  return o?.kind === 'number' ? o.value : 0;
};
const matrixOf = (operands: ReadonlyArray<Operand>): Matrix => [
  num(operands, 0),
  num(operands, 1),
  num(operands, 2),
  num(operands, 3),
  num(operands, 4),
  num(operands, 5),
];
const textBytes = (o: Operand | undefined): number =>
  o?.kind === 'string' || o?.kind === 'array' ? o.bytes : 0;
const nameOf = (text: Buffer, o: Operand | undefined): string | undefined => {
  if (o?.kind !== 'name') return undefined;
  const raw = text.toString('latin1', o.start, o.end);
  return raw.includes('#')
    ? raw.replace(/#([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
    : raw;
};

const [XOBJECT, SUBTYPE, FORM, RESOURCES, MATRIX] = ['XObject', 'Subtype', 'Form', 'Resources', 'Matrix'].map(
  (n) => PDFName.of(n),
) as [PDFName, PDFName, PDFName, PDFName, PDFName];

/** What `/Name Do` draws; a form's bytes are decoded when first drawn (null: undecodable or past the budget). */
type XObject =
  | { readonly kind: 'missing' | 'image' }
  | {
      readonly kind: 'form';
      readonly stream: PDFStream;
      readonly matrix: Matrix;
      readonly resources: PDFDict | undefined;
      bytes?: Uint8Array | null;
    };

const lookUpXObject = (resources: PDFDict | undefined, name: string): XObject => {
  const xobject = resources?.lookupMaybe(XOBJECT, PDFDict)?.lookupMaybe(PDFName.of(name), PDFStream);
  if (xobject === undefined) return { kind: 'missing' };
  if (xobject.dict.lookupMaybe(SUBTYPE, PDFName) !== FORM) return { kind: 'image' };
  const m = xobject.dict.lookupMaybe(MATRIX, PDFArray);
  const matrix: Matrix =
    m === undefined
      ? IDENTITY
      : (Array.from(
          { length: 6 },
          (_, i) => m.lookupMaybe(i, PDFNumber)?.asNumber() ?? 0,
        ) as unknown as Matrix);
  const own = xobject.dict.lookupMaybe(RESOURCES, PDFDict);
  return { kind: 'form', stream: xobject, matrix, resources: own ?? resources };
};

/** The page's content streams decoded and joined, as one stream may end in the middle of an operator. */
const pageContents = (page: PDFPage, maxBytes: number): Uint8Array | undefined => {
  const contents = page.node.Contents();
  const streams =
    contents instanceof PDFArray
      ? Array.from({ length: contents.size() }, (_, i) => contents.lookupMaybe(i, PDFStream))
      : [contents];
  const parts: Uint8Array[] = [];
  let total = 0;
  for (const stream of streams) {
    if (!(stream instanceof PDFStream)) continue;
    const part = decodeStreamWithin(stream, maxBytes - total);
    if (part === undefined) return undefined;
    total += part.length + 1;
    parts.push(part, Buffer.from('\n'));
  }
  return Buffer.concat(parts);
};

/**
 * The lowest y (page user space) where anything visible is painted, or +Infinity for a blank page.
 * Text boxes are over-estimated (one em per byte, descenders included) so the stamp never covers text.
 * A page we cannot read with certainty (malformed, undecodable, past INK_SCAN_BUDGET, inline images,
 * shadings) is full: -Infinity, and the stamp goes on a page of its own.
 */
export const lowestInk = (
  page: PDFPage,
  pageArea: number,
  limits: Readonly<ScanBudget> = INK_SCAN_BUDGET,
): number => {
  const budget = { ...limits };
  let lowest = Number.POSITIVE_INFINITY;
  const mark = (y: number) => {
    // A coordinate that overflowed says nothing of where the ink is.
    if (Number.isNaN(y) || y === Number.NEGATIVE_INFINITY) lowest = Number.NEGATIVE_INFINITY;
    else if (y < lowest) lowest = y;
  };

  // Looked up once per resource dictionary and name: a page may draw one form thousands of times.
  const xobjects = new Map<PDFDict | undefined, Map<string, XObject>>();
  const xobjectNamed = (resources: PDFDict | undefined, name: string): XObject => {
    const names = xobjects.get(resources) ?? new Map<string, XObject>();
    xobjects.set(resources, names);
    const xobject = names.get(name) ?? lookUpXObject(resources, name);
    names.set(name, xobject);
    return xobject;
  };

  /** False when the stream could not be read to its end. */
  const walk = (bytes: Uint8Array, resources: PDFDict | undefined, start: Matrix, depth: number): boolean => {
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    let ctm = start;
    const stack: Matrix[] = [];
    let tm: Matrix = IDENTITY;
    let tlm: Matrix = IDENTITY;
    let fontSize = 0;
    let leading = 0;
    let pathLowest = Number.POSITIVE_INFINITY;
    let pathArea = 0;

    const showText = (glyphBytes: number) => {
      const width = glyphBytes * Math.abs(fontSize);
      const trm = multiply(tm, ctm);
      for (const [x, y] of [
        [0, -0.3],
        [0, 1],
        [width, -0.3],
        [width, 1],
      ] as const) {
        mark(yOf(trm, x, y * Math.abs(fontSize)));
      }
      tm = multiply([1, 0, 0, 1, width, 0], tm);
    };
    const nextLine = (tx: number, ty: number) => {
      tlm = multiply([1, 0, 0, 1, tx, ty], tlm);
      tm = tlm;
    };
    const point = (x: number, y: number) => {
      const py = yOf(ctm, x, y);
      if (Number.isNaN(py) || py < pathLowest) pathLowest = py;
    };
    const drawXObject = (name: string | undefined): boolean => {
      if (name === undefined) return true;
      const xobject = xobjectNamed(resources, name);
      if (xobject.kind === 'missing') return true;
      if (xobject.kind === 'form' && depth < MAX_FORM_DEPTH) {
        if (xobject.bytes === undefined)
          xobject.bytes = decodeStreamWithin(xobject.stream, budget.bytes) ?? null;
        return (
          xobject.bytes !== null &&
          walk(xobject.bytes, xobject.resources, multiply(xobject.matrix, ctm), depth + 1)
        );
      }
      // An image (or a form too deeply nested) fills the unit square.
      mark(yOf(ctm, 0, 0));
      mark(yOf(ctm, 1, 0));
      mark(yOf(ctm, 0, 1));
      mark(yOf(ctm, 1, 1));
      return true;
    };

    const outcome = scanContentStream(bytes, budget, (op, a, count) => {
      const signature = SIGNATURES[op];
      if (signature === undefined) return true;
      if (!fits(signature, a, count)) return false;
      switch (op) {
        case 'q':
          if (stack.push(ctm) > MAX_SAVED_STATES) return false;
          break;
        case 'Q':
          ctm = stack.pop() ?? start;
          break;
        case 'cm':
          ctm = multiply(matrixOf(a), ctm);
          break;
        case 'BT':
          tm = IDENTITY;
          tlm = IDENTITY;
          break;
        case 'Tf':
          fontSize = num(a, 1);
          break;
        case 'TL':
          leading = num(a, 0);
          break;
        case 'Tm':
          tm = matrixOf(a);
          tlm = tm;
          break;
        case 'Td':
          nextLine(num(a, 0), num(a, 1));
          break;
        case 'TD':
          leading = -num(a, 1);
          nextLine(num(a, 0), num(a, 1));
          break;
        case 'T*':
          nextLine(0, -leading);
          break;
        case 'Tj':
        case 'TJ':
          showText(textBytes(a[0]));
          break;
        case "'":
          nextLine(0, -leading);
          showText(textBytes(a[0]));
          break;
        case '"':
          nextLine(0, -leading);
          showText(textBytes(a[2]));
          break;
        case 'm':
        case 'l':
          point(num(a, 0), num(a, 1));
          break;
        case 'c':
          point(num(a, 0), num(a, 1));
          point(num(a, 2), num(a, 3));
          point(num(a, 4), num(a, 5));
          break;
        case 'v':
        case 'y':
          point(num(a, 0), num(a, 1));
          point(num(a, 2), num(a, 3));
          break;
        case 're': {
          const [x, y, w, h] = [num(a, 0), num(a, 1), num(a, 2), num(a, 3)];
          point(x, y);
          point(x + w, y);
          point(x, y + h);
          point(x + w, y + h);
          pathArea += Math.abs(w * h * (ctm[0] * ctm[3] - ctm[1] * ctm[2]));
          break;
        }
        case 'n':
          pathLowest = Number.POSITIVE_INFINITY;
          pathArea = 0;
          break;
        case 'Do':
          if (!drawXObject(nameOf(text, a[0]))) return false;
          break;
        // Inline images and shadings have no cheap extent: assume they reach the bottom. Stopping at BI also
        // spares reading the image's binary data, where no delimiter rule holds.
        case 'BI':
        case 'sh':
          lowest = Number.NEGATIVE_INFINITY;
          break;
        case 'S':
        case 's':
        case 'f':
        case 'F':
        case 'f*':
        case 'B':
        case 'B*':
        case 'b':
        case 'b*':
          // A page-sized background fill is not content the stamp would hide.
          if (pathArea < 0.8 * pageArea) mark(pathLowest);
          pathLowest = Number.POSITIVE_INFINITY;
          pathArea = 0;
          break;
        default:
          break;
      }
      return lowest !== Number.NEGATIVE_INFINITY;
    });
    return outcome === 'complete' || (outcome === 'stopped' && lowest === Number.NEGATIVE_INFINITY);
  };

  try {
    const contents = pageContents(page, budget.bytes);
    if (contents === undefined || !walk(contents, page.node.Resources(), IDENTITY, 0))
      return Number.NEGATIVE_INFINITY;
    return lowest;
  } catch {
    // A broken resource dictionary or stream object, as pdf-lib reads them.
    return Number.NEGATIVE_INFINITY;
  }
};
