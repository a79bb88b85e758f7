/** An operand as far as finding ink needs it: numbers, names (bytes kept in place), text lengths. */
export type Operand =
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'name'; readonly start: number; readonly end: number }
  | { readonly kind: 'string'; readonly bytes: number }
  /** `bytes`: the string bytes inside it and its nested arrays (a TJ operand's glyph bytes). */
  | { readonly kind: 'array'; readonly bytes: number }
  /** A dictionary, `true`, `false` or `null`. */
  | { readonly kind: 'other' };

/** What is left to spend; shared by every stream scanned for one page, so a form drawn a million times runs out. */
export interface ScanBudget {
  bytes: number;
  operators: number;
}

/** Return false to stop the scan. `operands` holds the first MAX_KEPT_OPERANDS of `count`. */
export type OperatorHandler = (operator: string, operands: ReadonlyArray<Operand>, count: number) => boolean;

/** `malformed`: not content-stream syntax (a stray delimiter, something unterminated…): a viewer may read it otherwise. */
export type ScanOutcome = 'complete' | 'stopped' | 'malformed' | 'over-budget';

export const MAX_KEPT_OPERANDS = 8;
const MAX_NESTING = 32;
// ISO 32000-1 Annex C: the largest real a conforming reader has to handle.
const MAX_REAL = 3.403e38;

const WHITESPACE = new Uint8Array(256);
for (const b of [0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]) WHITESPACE[b] = 1;
const REGULAR = new Uint8Array(256).fill(1);
for (const c of '()<>[]{}/%') REGULAR[c.charCodeAt(0)] = 0;
for (let b = 0; b < 256; b++) if (WHITESPACE[b]) REGULAR[b] = 0;
const HEX = new Uint8Array(256);
for (const c of '0123456789abcdefABCDEF') HEX[c.charCodeAt(0)] = 1;

const ch = (c: string): number => c.charCodeAt(0);
const [LPAREN, RPAREN, LT, GT, LBRACKET, RBRACKET, SLASH, PERCENT, BACKSLASH, CR, LF] = [
  ch('('),
  ch(')'),
  ch('<'),
  ch('>'),
  ch('['),
  ch(']'),
  ch('/'),
  ch('%'),
  ch('\\'),
  0x0d,
  0x0a,
];
const [PLUS, MINUS, PERIOD] = [ch('+'), ch('-'), ch('.')];
const isDigit = (b: number): boolean => b >= 0x30 && b <= 0x39;

const POWERS_OF_TEN = Array.from({ length: 16 }, (_, k) => 10 ** k);

/**
 * The PDF number in bytes[start, end) (a sign, digits and at most one period, at least one digit), or
 * undefined. Up to 15 digits the value is built here: one division of two exact doubles rounds as Number() does.
 */
const numberAt = (text: Buffer, start: number, end: number): number | undefined => {
  const negative = text[start] === MINUS;
  let mantissa = 0;
  let digits = 0;
  let decimals = -1;
  for (let i = negative || text[start] === PLUS ? start + 1 : start; i < end; i++) {
    const c = text[i]!;
    if (isDigit(c)) {
      mantissa = mantissa * 10 + (c - 0x30);
      digits++;
      if (decimals >= 0) decimals++;
    } else if (c !== PERIOD || decimals >= 0) return undefined;
    else decimals = 0;
  }
  if (digits === 0) return undefined;
  if (digits > 15) return Number(text.toString('latin1', start, end));
  const value = mantissa / POWERS_OF_TEN[Math.max(decimals, 0)]!;
  return negative ? -value : value;
};

// The operators of ISO 32000 (Table A.1) and the keywords an operand can be, by their bytes read as one number:
// a word is named without making a string of it.
const keyOf = (text: Buffer, start: number, end: number): number => {
  let key = 0;
  for (let i = start; i < end; i++) key = key * 256 + text[i]!;
  return key;
};
const WORDS = new Map(
  `b B b* B* BDC BI BMC BT BX c cm CS cs d d0 d1 Do DP EI EMC ET EX f F f* G g gs h i ID j J K k l m M MP n q Q re
   RG rg ri s S SC sc SCN scn sh T* Tc Td TD Tf Tj TJ TL Tm Tr Ts Tw Tz v w W W* y ' " true false null`
    .split(/\s+/)
    .map((word) => [keyOf(Buffer.from(word, 'latin1'), 0, word.length), word]),
);

/** End (past the closing parenthesis) and byte count of the literal string at `start`, or end -1 if unterminated. */
const literalString = (
  bytes: Uint8Array,
  start: number,
): { readonly end: number; readonly bytes: number } => {
  let depth = 1;
  let count = 0;
  let i = start + 1;
  while (i < bytes.length) {
    const b = bytes[i++]!;
    if (b === BACKSLASH) {
      if (i >= bytes.length) break;
      const e = bytes[i++]!;
      if (e === CR || e === LF) {
        if (e === CR && bytes[i] === LF) i++;
        continue; // a line continuation adds nothing
      }
      // \ddd: up to three octal digits make one byte.
      const octal = (c: number | undefined) => c !== undefined && c >= 0x30 && c <= 0x37;
      for (let k = 0; k < 2 && octal(e) && octal(bytes[i]); k++) i++;
      count++;
    } else if (b === RPAREN && --depth === 0) {
      return { end: i, bytes: count };
    } else {
      if (b === LPAREN) depth++;
      count++;
    }
  }
  return { end: -1, bytes: count };
};

/**
 * Reads a content stream once, front to back, and hands every operator with its operands to `onOperator`.
 * Every step moves forward and keeps at most MAX_KEPT_OPERANDS operands and MAX_NESTING open arrays or
 * dictionaries, so time is linear in the length and memory bounded, whatever the bytes. Stops at the first
 * syntax error. Inline image data is not read: the handler is expected to stop at `BI`.
 */
export const scanContentStream = (
  bytes: Uint8Array,
  budget: ScanBudget,
  onOperator: OperatorHandler,
): ScanOutcome => {
  if (bytes.length > budget.bytes) return 'over-budget';
  budget.bytes -= bytes.length;
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  let operands: Operand[] = [];
  let count = 0;
  // Arrays ('[') and dictionaries ('<') open around the current position, innermost last.
  const open: number[] = [];
  let arrayBytes = 0;
  const operand = (o: Operand): void => {
    if (open.length > 0) return;
    if (count++ < MAX_KEPT_OPERANDS) operands.push(o);
  };
  const inArraysOnly = (): boolean => !open.includes(LT);

  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (WHITESPACE[b]) {
      i++;
    } else if (b === PERCENT) {
      while (i < bytes.length && bytes[i] !== CR && bytes[i] !== LF) i++;
    } else if (b === LPAREN) {
      const s = literalString(bytes, i);
      if (s.end < 0) return 'malformed';
      if (open.length === 0) operand({ kind: 'string', bytes: s.bytes });
      else if (inArraysOnly()) arrayBytes += s.bytes;
      i = s.end;
    } else if (b === LT && bytes[i + 1] === LT) {
      if (open.push(LT) > MAX_NESTING) return 'malformed';
      i += 2;
    } else if (b === LT) {
      let digits = 0;
      for (i++; i < bytes.length && bytes[i] !== GT; i++) {
        if (HEX[bytes[i]!]) digits++;
        else if (!WHITESPACE[bytes[i]!]) return 'malformed';
      }
      if (i++ >= bytes.length) return 'malformed';
      if (open.length === 0) operand({ kind: 'string', bytes: Math.ceil(digits / 2) });
      else if (inArraysOnly()) arrayBytes += Math.ceil(digits / 2);
    } else if (b === GT) {
      if (bytes[i + 1] !== GT || open.pop() !== LT) return 'malformed';
      i += 2;
      operand({ kind: 'other' });
    } else if (b === LBRACKET) {
      if (open.length === 0) arrayBytes = 0;
      if (open.push(LBRACKET) > MAX_NESTING) return 'malformed';
      i++;
    } else if (b === RBRACKET) {
      if (open.pop() !== LBRACKET) return 'malformed';
      i++;
      operand({ kind: 'array', bytes: arrayBytes });
    } else if (b === SLASH) {
      const start = ++i;
      while (i < bytes.length && REGULAR[bytes[i]!]) i++;
      operand({ kind: 'name', start, end: i });
    } else if (!REGULAR[b]) {
      return 'malformed'; // ')', '{', '}'
    } else {
      const start = i;
      while (i < bytes.length && REGULAR[bytes[i]!]) i++;
      if (b === PLUS || b === MINUS || b === PERIOD || isDigit(b)) {
        const value = numberAt(text, start, i);
        if (value === undefined || !(Math.abs(value) <= MAX_REAL)) return 'malformed';
        operand({ kind: 'number', value });
        continue;
      }
      // Any other word is an operator (unknown ones are handed over as ''), or a keyword.
      const word = (i - start <= 5 && WORDS.get(keyOf(text, start, i))) || '';
      if (word === 'true' || word === 'false' || word === 'null') {
        operand({ kind: 'other' });
      } else if (open.length > 0) {
        return 'malformed'; // an operator inside an array or a dictionary
      } else {
        if (--budget.operators < 0) return 'over-budget';
        if (!onOperator(word, operands, count)) return 'stopped';
        operands = [];
        count = 0;
      }
    }
  }
  return open.length > 0 ? 'malformed' : 'complete';
};
