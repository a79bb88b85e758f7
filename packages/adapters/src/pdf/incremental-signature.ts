import { createHash } from 'node:crypto';
import { PDFInvalidObject } from '@cantoo/pdf-lib';

const BYTE_RANGE_PLACEHOLDER = '[0 /********** /********** /**********]';
const BYTE_RANGE_KEY = '/ByteRange ';
const CONTENTS_KEY = '/Contents ';

export type ByteRange = readonly [number, number, number, number];

/** Raw placeholders: pdf-lib writes them verbatim, so their width in the file is known in advance. */
export const byteRangePlaceholder = (): PDFInvalidObject =>
  PDFInvalidObject.of(Buffer.from(BYTE_RANGE_PLACEHOLDER, 'latin1'));
export const contentsPlaceholder = (reservedBytes: number): PDFInvalidObject =>
  PDFInvalidObject.of(Buffer.from(`<${'0'.repeat(reservedBytes * 2)}>`, 'latin1'));

export interface PreparedSignature {
  readonly pdf: Uint8Array;
  readonly byteRange: ByteRange;
  /** SHA-256 over the two signed ranges. */
  readonly digest: Uint8Array;
  readonly reservedBytes: number;
}

/**
 * Joins original and increment, then fixes the /ByteRange around the /Contents hole. Only the increment is
 * searched, so an earlier signature's dictionary can never be mistaken for ours.
 */
export const prepareSignature = (original: Uint8Array, increment: Uint8Array): PreparedSignature => {
  const pdf = new Uint8Array(original.length + increment.length);
  pdf.set(original, 0);
  pdf.set(increment, original.length);
  const incrementView = Buffer.from(increment.buffer, increment.byteOffset, increment.length);
  const rangeAt = incrementView.indexOf(BYTE_RANGE_KEY + BYTE_RANGE_PLACEHOLDER, 0, 'latin1');
  if (rangeAt < 0) throw new Error('signature placeholder not found in the update');
  const contentsKeyAt = incrementView.indexOf(CONTENTS_KEY, rangeAt, 'latin1');
  if (contentsKeyAt < 0) throw new Error('signature contents not found in the update');
  const holeStart = original.length + contentsKeyAt + CONTENTS_KEY.length;
  const holeEnd = pdf.indexOf(0x3e /* > */, holeStart) + 1;
  if (holeEnd <= holeStart) throw new Error('unterminated signature contents');
  const byteRange: ByteRange = [0, holeStart, holeEnd, pdf.length - holeEnd];
  const text = `[${byteRange.join(' ')}`;
  if (text.length + 1 > BYTE_RANGE_PLACEHOLDER.length)
    throw new Error('document too large for the byte range');
  const rangeValueAt = original.length + rangeAt + BYTE_RANGE_KEY.length;
  pdf.set(Buffer.from(`${text.padEnd(BYTE_RANGE_PLACEHOLDER.length - 1, ' ')}]`, 'latin1'), rangeValueAt);
  const digest = createHash('sha256')
    .update(pdf.subarray(0, holeStart))
    .update(pdf.subarray(holeEnd))
    .digest();
  return { pdf, byteRange, digest: new Uint8Array(digest), reservedBytes: (holeEnd - holeStart - 2) / 2 };
};

/** Writes the DER CMS into the hole; zero padding after it is allowed by ISO 32000. */
export const embedSignature = (prepared: PreparedSignature, cms: Uint8Array): Uint8Array => {
  if (cms.length > prepared.reservedBytes) {
    throw new Error(`signature of ${cms.length} bytes exceeds the ${prepared.reservedBytes} reserved`);
  }
  prepared.pdf.set(Buffer.from(Buffer.from(cms).toString('hex'), 'latin1'), prepared.byteRange[1] + 1);
  return prepared.pdf;
};
