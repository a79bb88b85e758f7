// The ink scan as it was up to issue #14 (pdf-lib's content stream parser), kept as the reference the new scan is
// compared with on well-formed pages. Never give it a malformed stream: the unpatched parser may never end.
import {
  type ContentStreamOperand,
  type ContentStreamOperation,
  decodePDFRawStream,
  PDFArray,
  PDFDict,
  PDFName,
  PDFNumber,
  type PDFPage,
  PDFRawStream,
  PDFStream,
  parseContentStream,
} from '@cantoo/pdf-lib';

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
const num = (args: ReadonlyArray<ContentStreamOperand>, i: number): number => {
  const v = args[i];
  return typeof v === 'number' ? v : 0;
};
const matrixOf = (args: ReadonlyArray<ContentStreamOperand>): Matrix => [
  num(args, 0),
  num(args, 1),
  num(args, 2),
  num(args, 3),
  num(args, 4),
  num(args, 5),
];
const glyphBytes = (operand: ContentStreamOperand | undefined): number => {
  if (operand === undefined || typeof operand === 'number' || typeof operand === 'string') return 0;
  if (Array.isArray(operand)) return operand.reduce<number>((sum, o) => sum + glyphBytes(o), 0);
  return 'bytes' in operand && operand.bytes instanceof Uint8Array ? operand.bytes.length : 0;
};

const streamBytes = (stream: PDFStream): Uint8Array =>
  stream instanceof PDFRawStream ? decodePDFRawStream(stream).decode() : stream.getContents();

const MAX_FORM_DEPTH = 8;

/**
 * The lowest y (page user space) where anything visible is painted, or +Infinity for a blank page.
 * Text boxes are over-estimated (one em per byte, descenders included) so the stamp never covers text.
 */
export const referenceLowestInk = (page: PDFPage, pageArea: number): number => {
  let lowest = Number.POSITIVE_INFINITY;
  const mark = (y: number) => {
    if (Number.isFinite(y) && y < lowest) lowest = y;
  };

  const walk = (
    ops: ReadonlyArray<ContentStreamOperation>,
    resources: PDFDict | undefined,
    start: Matrix,
    depth: number,
  ) => {
    let ctm = start;
    const stack: Matrix[] = [];
    let tm: Matrix = IDENTITY;
    let tlm: Matrix = IDENTITY;
    let fontSize = 0;
    let leading = 0;
    let pathYs: number[] = [];
    let pathArea = 0;

    const showText = (operand: ContentStreamOperand | undefined) => {
      const width = glyphBytes(operand) * Math.abs(fontSize);
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
    const point = (x: number, y: number) => pathYs.push(yOf(ctm, x, y));

    for (const op of ops) {
      const a = op.args;
      switch (op.name) {
        case 'q':
          stack.push(ctm);
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
          showText(a[0]);
          break;
        case 'TJ':
          showText(a[0]);
          break;
        case "'":
          nextLine(0, -leading);
          showText(a[0]);
          break;
        case '"':
          nextLine(0, -leading);
          showText(a[2]);
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
          if (pathArea < 0.8 * pageArea) for (const y of pathYs) mark(y);
          pathYs = [];
          pathArea = 0;
          break;
        case 'n':
          pathYs = [];
          pathArea = 0;
          break;
        case 'Do': {
          const name = a[0];
          if (
            typeof name !== 'object' ||
            Array.isArray(name) ||
            name.type !== 'name' ||
            typeof name.value !== 'string'
          )
            break;
          const xobjects = resources?.lookupMaybe(PDFName.of('XObject'), PDFDict);
          const xobject = xobjects?.lookupMaybe(PDFName.of(name.value), PDFStream);
          if (xobject === undefined) break;
          const subtype = xobject.dict.lookupMaybe(PDFName.of('Subtype'), PDFName);
          if (subtype === PDFName.of('Form') && depth < MAX_FORM_DEPTH) {
            const m = xobject.dict.lookupMaybe(PDFName.of('Matrix'), PDFArray);
            const formMatrix: Matrix =
              m === undefined
                ? IDENTITY
                : (Array.from(
                    { length: 6 },
                    (_, i) => m.lookupMaybe(i, PDFNumber)?.asNumber() ?? 0,
                  ) as unknown as Matrix);
            const formResources = xobject.dict.lookupMaybe(PDFName.of('Resources'), PDFDict) ?? resources;
            walk(
              parseContentStream(streamBytes(xobject)),
              formResources,
              multiply(formMatrix, ctm),
              depth + 1,
            );
          } else {
            for (const [x, y] of [
              [0, 0],
              [1, 0],
              [0, 1],
              [1, 1],
            ] as const)
              mark(yOf(ctm, x, y));
          }
          break;
        }
        // Inline images and shadings have no cheap extent: assume they reach the bottom.
        case 'BI':
        case 'sh':
          lowest = Number.NEGATIVE_INFINITY;
          break;
        default:
          break;
      }
    }
  };

  const contents = page.node.Contents();
  const streams =
    contents instanceof PDFArray
      ? Array.from({ length: contents.size() }, (_, i) => contents.lookupMaybe(i, PDFStream))
      : [contents];
  const parts = streams.filter((s): s is PDFStream => s instanceof PDFStream).map(streamBytes);
  // Content streams may split an operator across parts, so they are parsed as one.
  const joined = Buffer.concat(parts.flatMap((p) => [p, Buffer.from('\n')]));
  walk(parseContentStream(joined), page.node.Resources(), IDENTITY, 0);
  return lowest;
};
