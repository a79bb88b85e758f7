export interface FoundSignature {
  readonly byteRange: readonly [number, number, number, number];
  /** DER of the CMS found in the /Contents hole, trailing zero padding removed. */
  readonly cms: ArrayBuffer;
  readonly subFilter?: string;
  readonly name?: string;
  readonly signingTime?: Date;
}

const BYTE_RANGE = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g;
const WINDOW = 64 * 1024;

const derLength = (der: Uint8Array): number => {
  const first = der[1] ?? 0;
  if (first < 0x80) return 2 + first;
  const count = first & 0x7f;
  let length = 0;
  for (let i = 0; i < count; i++) length = length * 256 + (der[2 + i] ?? 0);
  return 2 + count + length;
};

// UTF-16BE after its byte order mark. A damaged or edited file may leave an odd byte at the end: it is no
// character, and is dropped (swap16 would throw on it).
const utf16be = (bytes: Buffer): string =>
  Buffer.from(bytes.subarray(2, bytes.length - (bytes.length % 2)))
    .swap16()
    .toString('utf16le');

const decodePdfString = (raw: string): string => {
  if (raw.startsWith('<')) {
    const bytes = Buffer.from(raw.slice(1, -1).replace(/\s+/g, ''), 'hex');
    if (bytes[0] === 0xfe && bytes[1] === 0xff) return utf16be(bytes);
    return bytes.toString('latin1');
  }
  const body = raw
    .slice(1, -1)
    .replace(/\\([nrtbf()\\]|[0-7]{1,3})/g, (_, e: string) =>
      /^[0-7]/.test(e)
        ? String.fromCharCode(Number.parseInt(e, 8))
        : (({ n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' } as Record<string, string>)[e] ?? e),
    );
  if (body.startsWith('\u00fe\u00ff')) return utf16be(Buffer.from(body, 'latin1'));
  return body;
};

const stringEntry = (dict: string, key: string): string | undefined => {
  const m = new RegExp(`/${key}\\s*(\\((?:[^()\\\\]|\\\\.)*\\)|<[0-9A-Fa-f\\s]*>)`, 's').exec(dict);
  return m?.[1] === undefined ? undefined : decodePdfString(m[1]);
};

// D:YYYYMMDDHHmmSS followed by Z, or +HH'mm', or nothing (then UTC is assumed).
const parsePdfDate = (value: string | undefined): Date | undefined => {
  const m = /^D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?([Z+-])?(\d{2})?'?(\d{2})?/.exec(value ?? '');
  if (m === null) return undefined;
  const [y, mo = '01', d = '01', h = '00', mi = '00', s = '00'] = m.slice(1, 7) as string[];
  const offsetMinutes =
    m[7] === '+' || m[7] === '-' ? (m[7] === '-' ? -1 : 1) * (Number(m[8] ?? 0) * 60 + Number(m[9] ?? 0)) : 0;
  const utc =
    Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) - offsetMinutes * 60_000;
  return Number.isNaN(utc) ? undefined : new Date(utc);
};

/**
 * Finds signature dictionaries by their /ByteRange in the raw bytes. A signature dictionary can never be
 * compressed (its /Contents hole needs fixed offsets), and raw scanning still works on a damaged file. Stops after
 * `limit` signatures.
 */
export const findSignatures = (
  pdf: Uint8Array,
  limit = Number.POSITIVE_INFINITY,
): ReadonlyArray<FoundSignature> => {
  const text = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.length).toString('latin1');
  const found: FoundSignature[] = [];
  for (const m of text.matchAll(BYTE_RANGE)) {
    if (found.length >= limit) break;
    const [a, b, c, d] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])];
    if (a !== 0 || !(b < c) || c + d > pdf.length || pdf[b] !== 0x3c || pdf[c - 1] !== 0x3e) continue;
    const hex = text.slice(b + 1, c - 1);
    if (!/^[0-9A-Fa-f\s]*$/.test(hex)) continue;
    const bytes = Buffer.from(hex.replace(/\s+/g, ''), 'hex');
    // NSS writes indefinite-length BER (0x80): then the parser, not the header, finds the end.
    const der = bytes[1] === 0x80 ? bytes : bytes.subarray(0, Math.min(bytes.length, derLength(bytes)));
    const at = m.index ?? 0;
    // Searched within a window: on a hostile file with many /ByteRange entries, whole-file searches would be quadratic.
    const windowStart = Math.max(0, at - WINDOW);
    const objAt = text.slice(windowStart, at).lastIndexOf(' obj');
    const objStart = objAt < 0 ? windowStart : windowStart + objAt;
    const after = Math.max(c, at);
    const endObj = text.slice(after, after + WINDOW).indexOf('endobj');
    const objEnd = endObj < 0 ? Math.min(text.length, c + WINDOW) : after + endObj;
    const dict =
      text.slice(objStart, Math.min(b, objStart + 2 * WINDOW)) + text.slice(c, Math.min(objEnd, c + WINDOW));
    const subFilter = /\/SubFilter\s*\/([^\s/<>[\]()]+)/.exec(dict)?.[1];
    const name = stringEntry(dict, 'Name');
    const signingTime = parsePdfDate(stringEntry(dict, 'M'));
    found.push({
      byteRange: [a, b, c, d],
      cms: der.buffer.slice(der.byteOffset, der.byteOffset + der.length) as ArrayBuffer,
      ...(subFilter === undefined ? {} : { subFilter }),
      ...(name === undefined ? {} : { name }),
      ...(signingTime === undefined ? {} : { signingTime }),
    });
  }
  return found.sort((x, y) => x.byteRange[2] + x.byteRange[3] - (y.byteRange[2] + y.byteRange[3]));
};

/** Offsets where an earlier revision of the file ended: right after each %%EOF, with or without its EOL. */
export const previousRevisionEnds = (pdf: Uint8Array): ReadonlyArray<number> => {
  const text = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.length).toString('latin1');
  const ends = new Set<number>();
  for (const m of text.matchAll(/%%EOF(\r\n|\r|\n)?/g)) {
    const end = (m.index ?? 0) + 5;
    ends.add(end);
    ends.add(end + (m[1]?.length ?? 0));
  }
  ends.delete(pdf.length);
  return [...ends].filter((e) => e < pdf.length);
};
