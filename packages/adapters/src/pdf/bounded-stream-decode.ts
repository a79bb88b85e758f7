import { inflateRawSync } from 'node:zlib';
import {
  decodePDFRawStream,
  PDFArray,
  PDFDict,
  PDFName,
  type PDFObject,
  PDFRawStream,
  type PDFStream,
} from '@cantoo/pdf-lib';

const CHUNK = 64 * 1024;

// pdf-lib's FlateStream inflates a whole deflate block at once, and one block can expand without limit (a few
// kilobytes of a crafted page make gigabytes). Node's zlib stops at maxOutputLength. Like pdf-lib (and pdf.js),
// the two-byte header is checked and the Adler-32 checksum is not.
const inflate = (data: Uint8Array, maxBytes: number): Uint8Array | undefined => {
  const [cmf = 0, flg = 0] = data;
  if ((cmf & 0x0f) !== 8 || ((cmf << 8) + flg) % 31 !== 0 || (flg & 0x20) !== 0) return undefined;
  try {
    return inflateRawSync(data.subarray(2), { maxOutputLength: maxBytes + 1 });
  } catch {
    return undefined; // corrupt, truncated, or larger than maxBytes
  }
};

// The other filters (LZW, ASCII85, ASCIIHex, RunLength) decode a bounded amount per block: pdf-lib's decoder
// is read a chunk at a time and dropped once past maxBytes.
const viaPdfLib = (
  source: PDFStream,
  filter: PDFName,
  params: PDFObject | undefined,
  data: Uint8Array,
  maxBytes: number,
): Uint8Array | undefined => {
  const dict = source.dict.context.obj({ Filter: filter });
  if (params instanceof PDFDict) dict.set(PDFName.of('DecodeParms'), params);
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    const decoder = decodePDFRawStream(PDFRawStream.of(dict, data));
    for (let chunk = decoder.getBytes(CHUNK); chunk.length > 0; chunk = decoder.getBytes(CHUNK)) {
      total += chunk.length;
      if (total > maxBytes) return undefined;
      chunks.push(new Uint8Array(chunk));
    }
  } catch {
    return undefined; // an unknown filter, or data its decoder rejects
  }
  return Buffer.concat(chunks);
};

/**
 * A stream's decoded bytes, or undefined when they would exceed maxBytes or cannot be decoded
 * (unknown filter, corrupt data, encrypted). Never holds much more than maxBytes.
 */
export const decodeStreamWithin = (stream: PDFStream, maxBytes: number): Uint8Array | undefined => {
  if (!(stream instanceof PDFRawStream)) {
    const contents = stream.getContents();
    return contents.length <= maxBytes ? contents : undefined;
  }
  if (stream.transform !== undefined) return undefined;
  const filter = stream.dict.lookup(PDFName.of('Filter'));
  const params = stream.dict.lookup(PDFName.of('DecodeParms'));
  const filters = filter === undefined ? [] : filter instanceof PDFArray ? filter.asArray() : [filter];
  let data: Uint8Array | undefined = stream.contents;
  filters.forEach((f, i) => {
    const name = stream.dict.context.lookup(f);
    const param = params instanceof PDFArray ? params.lookup(i) : params;
    if (data === undefined || !(name instanceof PDFName)) data = undefined;
    else if (name === PDFName.of('FlateDecode')) data = inflate(data, maxBytes);
    else data = viaPdfLib(stream, name, param, data, maxBytes);
  });
  return data !== undefined && data.length <= maxBytes ? data : undefined;
};
